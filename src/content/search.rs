//! What a search answers, shared by the server (which finds it, see `server::search`) and the
//! page that shows it (`pages::search`). A snippet is words and marks, never HTML: the page
//! puts each marked run in a `<mark>` element as text, so nothing a query or an article holds
//! can become markup.

use serde::{Deserialize, Serialize};

/// The longest query searched, in characters; a longer one is cut there (and the page says so).
pub const MAX_QUERY_CHARS: usize = 200;

/// How many words of a query are searched (a phrase's words count); the rest are left out (and
/// the page says so). Every word costs a look-up with typos in three fields' vocabularies.
pub const MAX_QUERY_WORDS: usize = 12;

/// How many results a page of them shows.
pub const RESULTS_PER_PAGE: usize = 10;

/// How many pages of results there are at most: the best 100 results. Each page is ranked
/// afresh (a search has no stable order to page by key), so deeper pages cost more; past the
/// 100th result, a patient is better served by other words.
pub const MAX_RESULT_PAGES: u32 = 10;

/// The answer to one search.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// The query as searched: cut to `MAX_QUERY_CHARS`, control characters taken out.
    pub query: String,
    /// The query was longer than `MAX_QUERY_CHARS`, or had more than `MAX_QUERY_WORDS` words.
    pub cut: bool,
    /// The query reads as someone in crisis: the page shows crisis help above any result.
    pub crisis: bool,
    /// This page's results, best first.
    pub hits: Vec<SearchHit>,
    /// How many published articles match (counted up to the deepest page shown).
    pub total: usize,
    /// The page shown (1-based).
    pub page: u32,
    /// Whether a next page has results.
    pub more: bool,
    /// When nothing matched: a spelling that would find something ("Did you mean …?").
    pub suggestion: Option<String>,
    /// The glossary's entries for the words searched, shown above the articles.
    #[serde(default)]
    pub definitions: Vec<super::glossary::GlossaryTerm>,
}

/// One article found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// Where the words matched in the article's text, with the matching words marked.
    pub snippet: Vec<SnippetPart>,
}

/// A run of a snippet's text, marked when it is a word the query matched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnippetPart {
    pub text: String,
    pub marked: bool,
}

/// The clinic's synonym list, as its admins write it: a group a line, entries separated by
/// commas ("esketamine, Spravato").
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchSynonyms {
    pub list: String,
    /// Counts saves (a save from an older version is refused).
    pub version: i64,
}

/// The most groups the list holds: each query's words are compared with every entry.
pub const MAX_SYNONYM_GROUPS: usize = 300;
/// The most entries a group holds.
pub const MAX_SYNONYM_ENTRIES: usize = 12;
/// The longest entry, in characters.
pub const MAX_SYNONYM_CHARS: usize = 80;

/// `list` as it will be kept (lines and entries trimmed, empty ones dropped, ", " between
/// entries), or what is wrong with it, naming the line.
pub fn check_synonyms(list: &str) -> Result<String, String> {
    let mut groups = Vec::new();
    for (number, line) in list.lines().enumerate().map(|(i, line)| (i + 1, line)) {
        let entries: Vec<&str> = line
            .split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .collect();
        match entries.len() {
            0 => continue,
            1 => {
                return Err(format!(
                    "Line {number} (\"{}\") has one entry. Put two or more words or phrases \
                     that mean the same, separated by commas.",
                    entries[0]
                ));
            }
            n if n > MAX_SYNONYM_ENTRIES => {
                return Err(format!(
                    "Line {number} has {n} entries; a group holds at most \
                     {MAX_SYNONYM_ENTRIES}. Split it into two lines."
                ));
            }
            _ => {}
        }
        if let Some(long) = entries
            .iter()
            .find(|entry| entry.chars().count() > MAX_SYNONYM_CHARS)
        {
            let start: String = long.chars().take(30).collect();
            return Err(format!(
                "Line {number}: \"{start}…\" is longer than {MAX_SYNONYM_CHARS} characters. \
                 An entry is a word or a short phrase."
            ));
        }
        if !entries
            .iter()
            .all(|entry| entry.chars().any(char::is_alphanumeric))
        {
            return Err(format!(
                "Line {number} has an entry with no letters or digits."
            ));
        }
        groups.push(entries.join(", "));
    }
    if groups.len() > MAX_SYNONYM_GROUPS {
        return Err(format!(
            "The list has {} groups; it holds at most {MAX_SYNONYM_GROUPS}.",
            groups.len()
        ));
    }
    Ok(groups.join("\n"))
}

/// The page number asked for in `?page=`, when it is one a search can show.
pub fn result_page(page: Option<&str>) -> Option<u32> {
    match page {
        None => Some(1),
        Some(page) => page
            .parse::<u32>()
            .ok()
            .filter(|page| (1..=MAX_RESULT_PAGES).contains(page)),
    }
}

/// `raw` as searched: control characters (NUL included) become spaces, and it is cut to
/// `MAX_QUERY_CHARS` characters; with whether it was cut.
pub fn clean_query(raw: &str) -> (String, bool) {
    let cleaned: String = raw
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let cleaned = cleaned.trim();
    match cleaned.char_indices().nth(MAX_QUERY_CHARS) {
        Some((end, _)) => (cleaned[..end].trim_end().to_owned(), true),
        None => (cleaned.to_owned(), false),
    }
}

/// The address of the search for `query`, at `page` when past the first.
pub fn search_href(query: &str, page: u32) -> String {
    let mut href = format!("/search?q={}", form_encode(query));
    if page > 1 {
        href.push_str(&format!("&page={page}"));
    }
    href
}

/// `text` encoded as an HTML form encodes a field's value (`application/x-www-form-urlencoded`).
fn form_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_is_cut_at_its_limit_on_a_character_boundary() {
        let long = "é".repeat(MAX_QUERY_CHARS + 5);
        let (query, cut) = clean_query(&long);
        assert!(cut);
        assert_eq!(query.chars().count(), MAX_QUERY_CHARS);
        assert_eq!(
            clean_query("  ketamine\0 \u{7}dose "),
            ("ketamine   dose".into(), false)
        );
    }

    #[test]
    fn only_pages_a_search_can_show_are_accepted() {
        assert_eq!(result_page(None), Some(1));
        assert_eq!(result_page(Some("3")), Some(3));
        for bad in ["0", "11", "-1", "x", "", "99999999999"] {
            assert_eq!(result_page(Some(bad)), None, "{bad}");
        }
    }

    #[test]
    fn a_synonym_list_is_tidied_or_refused_naming_the_line() {
        assert_eq!(
            check_synonyms(" ketamine ,Ketalar,\n\n PTSD, post-traumatic stress ").as_deref(),
            Ok("ketamine, Ketalar\nPTSD, post-traumatic stress")
        );
        let one = check_synonyms("a, b\nSpravato").unwrap_err();
        assert!(
            one.starts_with("Line 2 (\"Spravato\") has one entry"),
            "{one}"
        );
        let many = ["w"; MAX_SYNONYM_ENTRIES + 1].join(",");
        assert!(
            check_synonyms(&many)
                .unwrap_err()
                .starts_with("Line 1 has 13 entries")
        );
        let long = format!("a, {}", "x".repeat(MAX_SYNONYM_CHARS + 1));
        assert!(
            check_synonyms(&long)
                .unwrap_err()
                .contains("longer than 80")
        );
        assert!(check_synonyms("a, ***").unwrap_err().contains("no letters"));
        let groups = "a, b\n".repeat(MAX_SYNONYM_GROUPS + 1);
        assert!(check_synonyms(&groups).unwrap_err().contains("at most 300"));
    }

    #[test]
    fn search_addresses_encode_the_query_as_a_form_does() {
        assert_eq!(search_href("a b&c", 1), "/search?q=a+b%26c");
        assert_eq!(search_href("\"x\"<", 2), "/search?q=%22x%22%3C&page=2");
        assert_eq!(search_href("ñ", 1), "/search?q=%C3%B1");
    }
}
