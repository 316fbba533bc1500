//! The editor form's references as it sends them (`ref-N-FIELD`, one group per reference), read
//! the same way by the server and by the editor's live checks in the browser.

use super::Reference;
use std::collections::BTreeMap;

/// The group (N) and field of an editor form's `ref-N-FIELD`.
fn reference_field(name: &str) -> Option<(usize, &str)> {
    let (index, field) = name.strip_prefix("ref-")?.split_once('-')?;
    Some((index.parse().ok()?, field))
}

/// The references an editor form sends as `ref-N-FIELD`, in order of N; a group marked
/// "remove" or left wholly empty is dropped. The server reads a sent form with it, and the
/// editor's live checks read the form in the browser with it, so both see the same references.
pub fn references_from_fields<'a>(
    fields: impl Iterator<Item = (&'a str, &'a str)>,
) -> Vec<Reference> {
    let mut groups: BTreeMap<usize, BTreeMap<String, String>> = BTreeMap::new();
    for (name, value) in fields {
        let Some((index, field)) = reference_field(name) else {
            continue;
        };
        groups
            .entry(index)
            .or_default()
            .insert(field.to_owned(), value.trim().to_owned());
    }
    groups
        .into_values()
        .filter(|group| !group.contains_key("remove"))
        .filter(|group| group.values().any(|value| !value.is_empty()))
        .map(|mut group| {
            let mut take = |name: &str| group.remove(name).unwrap_or_default();
            let optional = |value: String| (!value.is_empty()).then_some(value);
            Reference {
                authors: take("authors"),
                year: take("year"),
                title: take("title"),
                journal: take("journal"),
                volume: optional(take("volume")),
                issue: optional(take("issue")),
                pages: optional(take("pages")),
                doi: optional(take("doi")),
            }
        })
        .collect()
}

/// How many reference groups an editor form sent wholly empty (the ones shown for adding a
/// reference, and left so), not counting removed ones.
pub fn blank_reference_groups<'a>(fields: impl Iterator<Item = (&'a str, &'a str)>) -> usize {
    let mut groups: BTreeMap<usize, (bool, bool)> = BTreeMap::new();
    for (name, value) in fields {
        let Some((index, field)) = reference_field(name) else {
            continue;
        };
        let (filled, removed) = groups.entry(index).or_default();
        *removed |= field == "remove";
        *filled |= field != "remove" && !value.trim().is_empty();
    }
    groups
        .values()
        .filter(|(filled, removed)| !filled && !removed)
        .count()
}
