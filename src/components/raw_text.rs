//! Text for the two places where Leptos 0.8 writes a string into the page as it is: the children
//! of `<textarea>` (its element is marked "do not escape children", like `<script>`) and
//! `leptos_meta`'s `<Title>`. A `</textarea>` or `</title>` typed by a writer would otherwise
//! end the element and turn the rest of the text into live HTML. Every `<textarea>` and every
//! `<Title>` in the app takes its text from here.

/// `&`, `<` and `>` as character references: inside `<title>` and `<textarea>` (RCDATA) the
/// browser turns them back into the very characters typed, and nothing can end the element.
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// The text of a `<title>`, ready for `<Title text=…/>`. Titles are only rendered on the server
/// (no island holds one), where the text must be escaped; anywhere else it is set as text.
pub fn title_text(text: &str) -> String {
    if cfg!(feature = "ssr") {
        escaped(text)
    } else {
        text.to_owned()
    }
}

/// The child of a `<textarea>`, so that the field holds exactly `text`. On the server: escaped,
/// after one newline, because a browser drops a newline right after `<textarea>` (a body that
/// starts with a blank line keeps it). In the browser (an island hydrating) the text node the
/// server wrote is kept as it is, so the text is passed on untouched.
pub fn textarea_text(text: &str) -> String {
    if cfg!(feature = "ssr") {
        format!("\n{}", escaped(text))
    } else {
        text.to_owned()
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn nothing_typed_can_end_the_element() {
        let typed = "a</textarea><b>&amp;</title><script>x()</script>\"><svg onload=y()>";
        for text in [title_text(typed), textarea_text(typed)] {
            assert!(!text.contains('<'), "{text}");
            assert!(!text.contains('>'), "{text}");
            assert!(text.contains("&amp;amp;"));
        }
    }

    #[test]
    fn a_textarea_keeps_a_leading_newline() {
        assert_eq!(textarea_text("\nfirst"), "\n\nfirst");
        assert_eq!(textarea_text(""), "\n");
    }
}
