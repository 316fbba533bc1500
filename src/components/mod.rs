//! View pieces shared by the pages: the site frame, crisis help, references, review dates,
//! page metadata, and the print button.

pub mod article_parts;
pub mod crisis;
pub mod loaded;
pub mod page_meta;
pub mod print_button;
pub mod raw_text;
pub mod response;
pub mod site;
