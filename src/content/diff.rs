//! Line diffs between two revisions, field by field, for the history page; inside a line that
//! changed, the words that changed are marked (similar's inline diff).

use crate::content::editing::{ArticleDraft, DiffLine, DiffSpan, RevisionDiff, references_as_text};
use similar::{ChangeTag, TextDiff};
use std::time::{Duration, Instant};

/// What changed from revision `from` (`old`) to revision `to` (`new`); unchanged fields are
/// left out.
pub fn revision_diff(from: i64, old: &ArticleDraft, to: i64, new: &ArticleDraft) -> RevisionDiff {
    let fields = [
        ("Title", old.title.clone(), new.title.clone()),
        ("Summary", old.summary.clone(), new.summary.clone()),
        ("Body", old.body.clone(), new.body.clone()),
        ("Author", old.author.byline(), new.author.byline()),
        (
            "References",
            references_as_text(&old.references),
            references_as_text(&new.references),
        ),
    ];
    RevisionDiff {
        from,
        to,
        fields: fields
            .into_iter()
            .filter(|(_, old, new)| old != new)
            .map(|(name, old, new)| (name.to_owned(), line_diff(&old, &new)))
            .collect(),
    }
}

/// How long one field's diff may search for the smallest set of changes. Myers' algorithm is
/// quadratic in the worst case (two 200 KB bodies of short, all different lines); past the
/// deadline it settles for a correct but larger diff, so no revision pair can hold a core.
const DIFF_DEADLINE: Duration = Duration::from_millis(300);

/// `old` to `new`, line by line, with the changed words of each changed line marked. One
/// deadline bounds the whole field, lines and words: past it, what is left is marked by whole
/// lines (still correct).
pub fn line_diff(old: &str, new: &str) -> Vec<DiffLine> {
    let deadline = Instant::now() + DIFF_DEADLINE;
    let diff = TextDiff::configure()
        .deadline(deadline)
        .diff_lines(old, new);
    let mut lines = Vec::new();
    for op in diff.ops() {
        for change in diff.iter_inline_changes_deadline(op, Some(deadline)) {
            let spans: Vec<DiffSpan> = change
                .iter_strings_lossy()
                .map(|(changed, text)| DiffSpan {
                    text: text.trim_end_matches('\n').to_owned(),
                    changed,
                })
                .filter(|span| !span.text.is_empty())
                .collect();
            lines.push(match change.tag() {
                ChangeTag::Equal => DiffLine::Same(spans.into_iter().map(|s| s.text).collect()),
                ChangeTag::Delete => DiffLine::Removed(spans),
                ChangeTag::Insert => DiffLine::Added(spans),
            });
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str, changed: bool) -> DiffSpan {
        DiffSpan {
            text: text.into(),
            changed,
        }
    }

    #[test]
    fn a_changed_line_is_removed_then_added_and_the_rest_stays() {
        let diff = line_diff("one\ntwo\nthree\n", "one\n2\nthree\n");
        assert_eq!(
            diff,
            vec![
                DiffLine::Same("one".into()),
                DiffLine::Removed(vec![span("two", true)]),
                DiffLine::Added(vec![span("2", true)]),
                DiffLine::Same("three".into()),
            ]
        );
    }

    #[test]
    fn in_a_changed_paragraph_only_the_changed_words_are_marked() {
        let old = "Ketamine can ease depression within hours for some people.\n";
        let new = "Ketamine can ease depression within a day for some people.\n";
        let diff = line_diff(old, new);
        let marked = |line: &DiffLine| match line {
            DiffLine::Removed(spans) | DiffLine::Added(spans) => spans
                .iter()
                .filter(|span| span.changed)
                .flat_map(|span| span.text.split_whitespace().map(str::to_owned))
                .collect::<Vec<_>>(),
            DiffLine::Same(_) => Vec::new(),
        };
        assert_eq!(marked(&diff[0]), ["hours"]);
        assert_eq!(marked(&diff[1]), ["a", "day"]);
        let whole = |line: &DiffLine| match line {
            DiffLine::Removed(spans) | DiffLine::Added(spans) => spans
                .iter()
                .map(|span| span.text.as_str())
                .collect::<String>(),
            DiffLine::Same(text) => text.clone(),
        };
        assert_eq!(whole(&diff[0]), old.trim_end());
        assert_eq!(whole(&diff[1]), new.trim_end());
    }

    #[test]
    fn a_pathological_diff_ends_by_its_deadline_and_still_says_what_changed() {
        // 100,000 one-character lines, every one different: quadratic for Myers' algorithm.
        let old: String = (0..100_000).map(|n| format!("{}\n", n % 7)).collect();
        let new: String = (0..100_000).map(|n| format!("{}\n", (n % 5) + 7)).collect();
        // Without the deadline this runs for many minutes: a minute here means it was not applied.
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || sender.send(line_diff(&old, &new)));
        let diff = receiver
            .recv_timeout(Duration::from_secs(60))
            .expect("the diff ignored its deadline");
        let removed = diff
            .iter()
            .filter(|l| matches!(l, DiffLine::Removed(_)))
            .count();
        let added = diff
            .iter()
            .filter(|l| matches!(l, DiffLine::Added(_)))
            .count();
        assert_eq!((removed, added), (100_000, 100_000));
    }

    #[test]
    fn unchanged_fields_are_left_out() {
        let old = ArticleDraft {
            title: "A".into(),
            body: "text".into(),
            ..ArticleDraft::default()
        };
        let new = ArticleDraft {
            title: "B".into(),
            ..old.clone()
        };
        let diff = revision_diff(1, &old, 2, &new);
        assert_eq!(diff.fields.len(), 1);
        assert_eq!(diff.fields[0].0, "Title");
    }
}
