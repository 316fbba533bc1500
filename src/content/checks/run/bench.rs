//! `bench/checks.sh` runs this in the release build: every check on a 200 KB body (the editor's
//! limit) made of the seed article repeated, with its references; prints the time per run.

use super::*;
use crate::content::editing::MAX_BODY_BYTES;
use crate::content::front_matter::parse_article_file;
use std::time::Instant;

#[test]
#[ignore = "a benchmark: bench/checks.sh runs it in release"]
fn all_checks_on_the_largest_body() {
    let seed = parse_article_file(include_str!(
        "../../../../seed/ketamine-and-brain-plasticity.md"
    ))
    .expect("the seed reads");
    let mut body = String::new();
    while body.len() + seed.body.len() + 2 <= MAX_BODY_BYTES {
        body.push_str(&seed.body);
        body.push_str("\n\n");
    }
    let time = |name: &str, f: &dyn Fn()| {
        let start = Instant::now();
        for _ in 0..10 {
            f();
        }
        println!("  {name}: {:.2} ms", start.elapsed().as_secs_f64() * 100.0);
    };
    let blocks = prose::blocks(&body);
    time("prose", &|| drop(prose::blocks(&body)));
    time("citations", &|| {
        drop(citation_check::findings(&body, &seed.references))
    });
    time("sentences and index", &|| {
        drop(Text::new(&blocks, &WATCHED))
    });
    let text = Text::new(&blocks, &WATCHED);
    time("readability", &|| {
        drop(readability_counting(
            text.paragraphs(),
            prose::without_citations,
        ))
    });
    let rules = SAFE_MESSAGING.as_ref().unwrap();
    time("safe messaging", &|| drop(rules.findings(&text)));
    let runs = 50;
    let mut best = f64::MAX;
    let mut total = 0.0;
    for _ in 0..runs {
        let start = Instant::now();
        let report = check_article(&body, &seed.references);
        let took = start.elapsed().as_secs_f64() * 1000.0;
        assert!(report.errors() > 0);
        best = best.min(took);
        total += took;
    }
    println!(
        "all checks on a {} KB body: {:.2} ms mean, {:.2} ms best of {runs} (target: under 5 ms)",
        body.len() / 1024,
        total / runs as f64,
        best
    );
}

/// Issue 28, item 2: the preview (checks and rendering) of what a writer can send to cost the
/// most, and the size of its answer. `bench/checks.sh` prints these.
#[test]
#[ignore = "a benchmark: bench/checks.sh runs it in the release build"]
fn previews_of_the_costliest_bodies() {
    let mut citations = String::new();
    let mut n = 0;
    while citations.len() < 150 * 1024 {
        citations.push_str(&format!("(Author{n} et al., 2019) "));
        n += 1;
    }
    let references: Vec<Reference> = (0..crate::content::editing::MAX_REFERENCES)
        .map(|n| Reference {
            authors: format!("Author{n}, A."),
            year: "2019".into(),
            title: "T".into(),
            journal: "J".into(),
            ..Reference::default()
        })
        .collect();
    let bodies = [
        (
            "150 KB of distinct unmatched citations",
            citations.clone(),
            vec![],
        ),
        ("the same with 200 references", citations, references),
        (
            "100,000 `>`",
            format!("{} deep", ">".repeat(100_000)),
            vec![],
        ),
        (
            "100,000 `[` then `]`",
            format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
            vec![],
        ),
        (
            "100,000 `- `",
            format!("{}item", "- ".repeat(100_000)),
            vec![],
        ),
        ("100,000 `*`", "*a ".repeat(66_000), vec![]),
    ];
    for (name, body, references) in bodies {
        let start = Instant::now();
        let answer = serde_json::to_string(&preview(&body, &references, &[])).expect("serialises");
        println!(
            "preview of {name} ({} KB): {:.0} ms, answer {} KB",
            body.len() / 1024,
            start.elapsed().as_secs_f64() * 1000.0,
            answer.len() / 1024
        );
    }
}
