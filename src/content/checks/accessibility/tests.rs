//! One test a rule, and the well-made article that passes them all.

use super::*;

fn rules(body: &str) -> Vec<String> {
    findings(body)
        .into_iter()
        .map(|finding| finding.key.split(':').nth(1).unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn a_plain_well_made_article_passes() {
    let body = "Ketamine helps some people.\n\n# What to expect\n\nA nurse stays with you.\n\n\
                ## Before the visit\n\n- Eat lightly.\n- Bring a friend.\n\n\
                Read [the FDA's notice on esketamine](https://www.fda.gov/x).\n\n\
                | Dose | When |\n|---|---|\n| 1 | Monday |\n\n![A nurse checks blood pressure](a.png)\n\n\
                **Bold words in a sentence** and more words after them.\n\nPTSD is common.";
    assert_eq!(rules(body), Vec::<String>::new());
}

#[test]
fn headings_that_skip_a_level_are_empty_or_open_the_text() {
    assert_eq!(
        rules("# Ketamine and sleep\n\nText."),
        ["first-line-heading"]
    );
    assert_eq!(
        rules("Text.\n\n# Part\n\nText.\n\n### Detail\n\nText."),
        ["skipped-heading"]
    );
    assert_eq!(rules("Text.\n\n### Detail\n\nText."), ["skipped-heading"]);
    assert_eq!(rules("Text.\n\n##\n\nText."), ["empty-heading"]);
    assert!(
        findings("Text.\n\n# Part\n\n### Detail")[0]
            .problem
            .contains("level-4 heading after a level-2")
    );
    // Back up any number of levels.
    assert!(rules("Text.\n\n# A\n\n## B\n\n### C\n\n# D\n\nText.").is_empty());
}

#[test]
fn links_that_say_nothing() {
    assert_eq!(
        rules("For more, [click here](https://a.example)."),
        ["vague-link"]
    );
    assert_eq!(rules("[Read more…](https://a.example)"), ["vague-link"]);
    assert_eq!(
        rules("See [https://a.example/x](https://a.example/x)."),
        ["bare-address-link"]
    );
    assert_eq!(rules("See <https://a.example/x>."), ["bare-address-link"]);
    assert_eq!(rules("See [](https://a.example/x)."), ["link-no-text"]);
    // An image gives its link a name.
    assert_eq!(
        rules("[![The clinic's logo](l.png)](https://a.example)"),
        Vec::<String>::new()
    );
}

#[test]
fn images_without_a_real_description() {
    assert_eq!(rules("![](scan.png)"), ["image-no-alt"]);
    assert_eq!(rules("![image](scan.png)"), ["image-alt-says-nothing"]);
    assert_eq!(
        rules("![IMG_2041.JPG](scan.jpg)"),
        ["image-alt-says-nothing"]
    );
    assert_eq!(
        rules("![brain-scan.png](scan.png)"),
        ["image-alt-says-nothing"]
    );
}

#[test]
fn tables_need_a_header_for_each_column() {
    assert_eq!(rules("| | |\n|---|---|\n| 1 | 2 |"), ["table-no-header"]);
    assert_eq!(
        rules("| Dose | |\n|---|---|\n| 1 | 2 |"),
        ["table-empty-header"]
    );
}

#[test]
fn bold_paragraphs_typed_lists_and_capitals() {
    assert_eq!(
        rules("Intro.\n\n**Side effects**\n\nSome people feel dizzy."),
        ["bold-heading"]
    );
    assert_eq!(
        rules("Intro.\n\n__What to bring__\n\nA friend."),
        ["bold-heading"]
    );
    assert!(
        rules("Intro.\n\n**Call 988 now.**").is_empty(),
        "a bold sentence is a sentence"
    );
    assert_eq!(rules("Bring:\n• a friend\n• water"), ["typed-list"]);
    // ("1)" on a line of its own starts a real list; a list that goes on after other
    // lines does not.)
    assert_eq!(rules("Steps:\n2) Sit down\n3) Breathe"), ["typed-list"]);
    assert_eq!(rules("Steps:\n(1) Sit down\n(2) Breathe"), ["typed-list"]);
    assert!(rules("We met at 3. Then we left.").is_empty());
    assert_eq!(
        rules("DO NOT DRIVE AFTER YOUR INFUSION. Rest."),
        ["capitals"]
    );
    assert!(rules("Ask about PTSD and TRD care.").is_empty());
}

#[test]
fn each_finding_is_a_keyed_warning_once() {
    let found = findings("[here](a) and [here](b)\n\n![](x.png)");
    assert_eq!(found.len(), 2, "the same words twice are one finding");
    assert!(
        found
            .iter()
            .all(|f| f.severity == Severity::Warning && f.check == Check::Accessibility)
    );
    assert_eq!(
        findings("![](x.png)")[0].key,
        found[1].key,
        "stable for the same text"
    );
}

#[test]
fn any_text_is_checked_without_failing() {
    // Found by the browser tests: a line's last character was cut inside a letter.
    assert!(rules("Text.\nÜnïcødé (1é) «a» 2…) ¿").is_empty());
}

proptest::proptest! {
    #[test]
    fn no_text_makes_the_check_fail(body in "(\\PC|\n|[#*\\[\\]()!|>-]){0,200}") {
        let _ = findings(&body);
    }
}
