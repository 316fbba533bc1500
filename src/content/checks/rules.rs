//! Wording rules a clinician keeps in data files (`content/rules/*.toml`): safe messaging about
//! suicide, and treatment claims. Each rule names phrases to look for, why they matter, what
//! to write instead and where the advice comes from; see the files' own comments for the format.
//! The files are built into the binary, so a changed rule ships with the next release.

pub use super::text::Text;
use super::text::first_token;
use super::{Check, Finding, Severity, fingerprint};
use serde::Deserialize;
use std::sync::LazyLock;

pub const SAFE_MESSAGING_FILE: &str = include_str!("../../../content/rules/safe-messaging.toml");
pub const TREATMENT_CLAIMS_FILE: &str =
    include_str!("../../../content/rules/treatment-claims.toml");

/// The safe-messaging rules, or why the file could not be read.
pub static SAFE_MESSAGING: LazyLock<Result<RuleSet, String>> =
    LazyLock::new(|| RuleSet::parse(SAFE_MESSAGING_FILE, Check::SafeMessaging));
/// The treatment-claim rules, or why the file could not be read.
pub static TREATMENT_CLAIMS: LazyLock<Result<RuleSet, String>> =
    LazyLock::new(|| RuleSet::parse(TREATMENT_CLAIMS_FILE, Check::TreatmentClaims));

/// One file of rules.
#[derive(Debug)]
pub struct RuleSet {
    check: Check,
    rules: Vec<Rule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: Vec<Rule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Rule {
    id: String,
    title: String,
    phrases: Vec<String>,
    #[serde(default)]
    near: Vec<String>,
    /// How many sentences away a `near` word may be (0: the same sentence).
    #[serde(default)]
    within: usize,
    #[serde(default)]
    requires: Vec<Requirement>,
    reason: String,
    suggestion: String,
    source: String,
}

/// Something the article must also say once a rule's phrase appears.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Requirement {
    label: String,
    words: Vec<String>,
}

impl RuleSet {
    /// The words the rules' phrases start with (what `Text` must watch for).
    pub fn first_words(&self) -> impl Iterator<Item = &str> {
        self.rules
            .iter()
            .flat_map(|rule| &rule.phrases)
            .filter_map(|phrase| first_token(phrase))
    }

    pub fn parse(file: &str, check: Check) -> Result<RuleSet, String> {
        let mut parsed: RuleFile = toml::from_str(file).map_err(|error| error.to_string())?;
        for rule in &mut parsed.rule {
            let lower =
                |words: &mut Vec<String>| words.iter_mut().for_each(|w| *w = w.to_lowercase());
            lower(&mut rule.phrases);
            lower(&mut rule.near);
            rule.requires
                .iter_mut()
                .for_each(|need| lower(&mut need.words));
        }
        let no_word = |phrase: &String| first_token(phrase).is_none();
        if let Some(rule) = parsed
            .rule
            .iter()
            .find(|rule| rule.phrases.is_empty() || rule.phrases.iter().any(no_word))
        {
            return Err(format!(
                "rule `{}` needs phrases with a letter or digit in each",
                rule.id
            ));
        }
        Ok(RuleSet {
            check,
            rules: parsed.rule,
        })
    }

    /// Every finding of these rules in `text`: one per rule and sentence for phrase rules, one
    /// per rule for a missing requirement. All are warnings: a reviewer decides.
    pub fn findings(&self, text: &Text) -> Vec<Finding> {
        let mut found = Vec::new();
        for rule in &self.rules {
            if !rule.requires.is_empty() {
                found.extend(self.missing_requirements(rule, text));
                continue;
            }
            for at in self.candidates(rule, text) {
                let sentence = text.lower(at);
                let Some(phrase) = rule.phrases.iter().find(|p| contains_words(&sentence, p))
                else {
                    continue;
                };
                if !rule.near.is_empty() {
                    let from = at.saturating_sub(rule.within);
                    let to = (at + rule.within).min(text.sentences.len() - 1);
                    let near = (from..=to).any(|other| {
                        let other = text.lower(other);
                        rule.near.iter().any(|word| contains_words(&other, word))
                    });
                    if !near {
                        continue;
                    }
                }
                found.push(self.finding(
                    rule,
                    text.sentences[at],
                    format!("{}: \u{201c}{phrase}\u{201d}.", rule.title),
                ));
            }
        }
        found
    }

    /// For a rule with `requires`: the first sentence with one of its phrases, if the text
    /// then fails to say any required thing.
    fn missing_requirements(&self, rule: &Rule, text: &Text) -> Option<Finding> {
        let first = self.candidates(rule, text).into_iter().find(|&at| {
            rule.phrases
                .iter()
                .any(|p| contains_words(&text.lower(at), p))
        })?;
        let whole = text.sentences.join(" ").to_lowercase();
        let missing: Vec<&str> = rule
            .requires
            .iter()
            .filter(|need| !need.words.iter().any(|word| contains_words(&whole, word)))
            .map(|need| need.label.as_str())
            .collect();
        if missing.is_empty() {
            return None;
        }
        let problem = format!("{}: it does not say {}.", rule.title, missing.join("; "));
        Some(self.finding(rule, text.sentences[first], problem))
    }

    /// The sentences (ascending) that hold the first word of one of `rule`'s phrases.
    fn candidates(&self, rule: &Rule, text: &Text) -> Vec<usize> {
        let mut candidates: Vec<usize> = rule
            .phrases
            .iter()
            .filter_map(|phrase| text.index.get(first_token(phrase)?))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        candidates
    }

    fn finding(&self, rule: &Rule, sentence: &str, problem: String) -> Finding {
        Finding {
            key: format!("rule:{}:{}", rule.id, fingerprint(sentence)),
            check: self.check,
            severity: Severity::Warning,
            quote: sentence.to_owned(),
            problem,
            why: format!("{} (Source: {}.)", rule.reason, rule.source),
            fix: rule.suggestion.clone(),
        }
    }
}

/// Whether lower-cased `text` holds lower-cased `phrase` as whole words (a digit may touch a
/// unit: "50mg").
pub fn contains_words(text: &str, phrase: &str) -> bool {
    let mut from = 0;
    while let Some(at) = text[from..].find(phrase).map(|i| from + i) {
        let before = text[..at].chars().next_back();
        let after = text[at + phrase.len()..].chars().next();
        let starts_word = phrase.chars().next().is_some_and(char::is_alphanumeric);
        let ends_word = phrase
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        // A letter before the phrase joins it to another word; so does a digit before a
        // phrase that starts with one.
        let joins = |c: char| {
            c.is_alphabetic()
                || (c.is_ascii_digit() && phrase.starts_with(|p: char| p.is_ascii_digit()))
        };
        let clear_before = !starts_word || before.is_none_or(|c| !joins(c));
        let clear_after = !ends_word || after.is_none_or(|c| !c.is_alphanumeric());
        if clear_before && clear_after {
            return true;
        }
        from = at + phrase.len().max(1);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::super::prose::Block;
    use super::*;

    /// The findings of `set` in one paragraph of `text`.
    fn findings_in(set: &RuleSet, text: &str) -> Vec<Finding> {
        let watched = [&*SAFE_MESSAGING, &*TREATMENT_CLAIMS]
            .into_iter()
            .flat_map(|set| set.as_ref().expect("the rule file reads").first_words())
            .map(str::to_owned)
            .collect();
        let blocks = [Block {
            heading: false,
            text: text.to_owned(),
        }];
        set.findings(&Text::new(&blocks, &watched))
    }

    fn rules(check: Check) -> &'static RuleSet {
        let set = match check {
            Check::SafeMessaging => &*SAFE_MESSAGING,
            _ => &*TREATMENT_CLAIMS,
        };
        set.as_ref().expect("the rule file reads")
    }

    fn problems(check: Check, text: &str) -> Vec<String> {
        findings_in(rules(check), text)
            .into_iter()
            .map(|finding| finding.problem)
            .collect()
    }

    #[test]
    fn both_rule_files_read() {
        assert!(rules(Check::SafeMessaging).rules.len() >= 6);
        assert!(rules(Check::TreatmentClaims).rules.len() >= 3);
        assert!(RuleSet::parse("[[rule]]\nid = 1", Check::SafeMessaging).is_err());
    }

    #[test]
    fn safe_messaging_flags_the_wording_and_says_what_to_write() {
        let found = findings_in(
            rules(Check::SafeMessaging),
            "Her brother committed suicide in 2019. He was fine.",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].quote, "Her brother committed suicide in 2019.");
        assert!(found[0].fix.contains("died by suicide"));
        assert!(
            found[0]
                .why
                .contains("Recommendations for Reporting on Suicide")
        );
        assert_eq!(found[0].severity, Severity::Warning);
        for text in [
            "It was a failed attempt.",
            "A suicide epidemic is under way.",
            "It happened without warning.",
            "He took an overdose of 40 pills.",
            "An overdose of 500mg is dangerous.",
        ] {
            assert_eq!(problems(Check::SafeMessaging, text).len(), 1, "{text}");
        }
        assert!(
            problems(
                Check::SafeMessaging,
                "An overdose is an emergency: call 911."
            )
            .is_empty()
        );
        assert!(problems(Check::SafeMessaging, "The epidemiology of depression.").is_empty());
    }

    #[test]
    fn claims_near_ketamine_are_flagged_within_a_sentence() {
        assert_eq!(
            problems(Check::TreatmentClaims, "Ketamine cures depression."),
            ["A promise of cure or certainty: \u{201c}cures\u{201d}."]
        );
        assert_eq!(
            problems(
                Check::TreatmentClaims,
                "We use ketamine. The results are permanent."
            )
            .len(),
            1
        );
        assert_eq!(
            problems(
                Check::TreatmentClaims,
                "Ketamine is FDA-approved for depression."
            )
            .len(),
            1
        );
        assert!(
            problems(
                Check::TreatmentClaims,
                "There is no cure for the common cold."
            )
            .is_empty()
        );
        assert!(problems(Check::TreatmentClaims, "Keep it secure. Ketamine helps.").is_empty());
        // Esketamine is not "ketamine" as a word: its approval is real.
        assert!(problems(Check::TreatmentClaims, "Esketamine is FDA-approved. It is given only in a certified clinic, with 2 hours of observation and no driving until the next day.").is_empty());
    }

    #[test]
    fn esketamine_needs_its_monitoring_note() {
        let found = problems(
            Check::TreatmentClaims,
            "Spravato is a nasal spray. You stay for two hours.",
        );
        assert_eq!(found.len(), 1);
        assert!(
            found[0].contains("no driving until the next day"),
            "{}",
            found[0]
        );
        assert!(found[0].contains("certified clinic"));
        assert!(!found[0].contains("2 hours"));
    }
}
