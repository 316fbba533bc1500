//! Safety wording: text that touches suicide, self-harm or overdose must come with crisis help
//! near its top, following safe-messaging practice (see `components::crisis`). The editor's
//! checks (`content::checks`) say so with the same rule.

/// Word stems and phrases that mean an article touches suicide or self-harm. Matched against
/// lower-cased text; stems ("suicid") cover "suicide", "suicidal", "suicidality".
const CRISIS_TERMS: &[&str] = &[
    "suicid",
    "self-harm",
    "self harm",
    "kill myself",
    "killing myself",
    "end my life",
    "ending my life",
    "overdos",
];

/// Whether `text` mentions suicide, self-harm or overdose, so the page must show the crisis-help block.
pub fn mentions_suicide(text: &str) -> bool {
    let lower = text.to_lowercase();
    CRISIS_TERMS.iter().any(|term| lower.contains(term))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_article_mentions_suicide() {
        let seed = include_str!("../../seed/source/ketamine-and-brain-plasticity.txt");
        assert!(mentions_suicide(seed));
    }

    #[test]
    fn recognises_forms_and_case() {
        assert!(mentions_suicide("Suicide prevention"));
        assert!(mentions_suicide("SUICIDAL thoughts"));
        assert!(mentions_suicide("thoughts of self-harm"));
        assert!(mentions_suicide("An overdose is an emergency."));
    }

    #[test]
    fn ordinary_text_does_not_trigger_the_block() {
        assert!(!mentions_suicide(
            "Ketamine and brain plasticity: new synapses form quickly."
        ));
    }
}
