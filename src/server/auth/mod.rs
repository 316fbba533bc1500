//! Authentication: passwords now; sessions and throttling as the admin area lands.

pub mod password;
