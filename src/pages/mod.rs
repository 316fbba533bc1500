//! The public pages. Each renders completely on the server; none needs JavaScript.

pub mod article;
pub mod glossary;
pub mod help_now;
pub mod home;
pub mod not_found;
pub mod search;
pub mod topics;

/// The public pages that are not articles nor further pages of a list, most read first: the
/// page cache renders them ahead, and the sitemap lists them.
pub const FIXED_PAGES: [&str; 4] = ["/", "/topics", "/help-now", "/glossary"];
