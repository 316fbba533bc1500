//! The public pages. Each renders completely on the server; none needs JavaScript.

pub mod article;
pub mod glossary;
pub mod help_now;
pub mod home;
pub mod not_found;
