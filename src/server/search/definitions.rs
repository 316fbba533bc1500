//! The glossary's own entries as answers: a search for a word the glossary defines ("nmda
//! receptor", "synaptogensis") shows its plain-language definition above the articles, with a
//! link to its entry. A term is shown when each word of one of its forms (the term, or another
//! form it goes by) is among the query's words, typos forgiven as the query forgives them.

use super::analysis::{Word, near, stems};
use crate::content::glossary::GlossaryTerm;

/// How many definitions a search shows at most.
const SHOWN: usize = 2;

/// The glossary, its forms analyzed once per content version.
#[derive(Clone, Debug, Default)]
pub struct Definitions {
    terms: Vec<GlossaryTerm>,
    /// Each form's words, with the index of its term in `terms`.
    forms: Vec<(usize, Vec<Word>)>,
}

impl Definitions {
    pub fn new(terms: Vec<GlossaryTerm>) -> Definitions {
        let forms = terms
            .iter()
            .enumerate()
            .flat_map(|(index, term)| term.forms().map(move |form| (index, stems(form))))
            .filter(|(_, words)| !words.is_empty())
            .collect();
        Definitions { terms, forms }
    }

    /// The terms the query's `words` name, the one named by the most words first (at most
    /// `SHOWN`). Linear in the glossary's forms (at most `MAX_TERMS` terms of `MAX_ALSO` + 1
    /// forms) times the query's words (at most `MAX_QUERY_WORDS`), each a length check first.
    pub fn named_by(&self, words: &[&Word]) -> Vec<GlossaryTerm> {
        let mut named: Vec<(usize, usize)> = Vec::new();
        for (term, form) in &self.forms {
            let all_there = form
                .iter()
                .all(|known| words.iter().any(|typed| near(typed, known)));
            if !all_there {
                continue;
            }
            match named.iter_mut().find(|(seen, _)| seen == term) {
                Some((_, most)) => *most = (*most).max(form.len()),
                None => named.push((*term, form.len())),
            }
        }
        named.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        named
            .into_iter()
            .take(SHOWN)
            .map(|(term, _)| self.terms[term].clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(id: i64, term: &str, also: &[&str]) -> GlossaryTerm {
        GlossaryTerm {
            id,
            term: term.into(),
            anchor: term.to_lowercase().replace(' ', "-"),
            definition: format!("What {term} means."),
            also: also.iter().map(|form| (*form).to_owned()).collect(),
            version: 1,
        }
    }

    fn named(definitions: &Definitions, query: &str) -> Vec<String> {
        let words = stems(query);
        let words: Vec<&Word> = words.iter().collect();
        definitions
            .named_by(&words)
            .into_iter()
            .map(|term| term.term)
            .collect()
    }

    #[test]
    fn a_query_names_a_term_by_any_of_its_forms_typos_forgiven() {
        let definitions = Definitions::new(vec![
            term(1, "NMDA receptor", &["NMDA receptors"]),
            term(2, "synaptogenesis", &[]),
            term(3, "synapse", &["synapses"]),
            term(4, "neuron", &["neurons", "nerve cell"]),
        ]);
        assert_eq!(
            named(&definitions, "what is an nmda receptor"),
            ["NMDA receptor"]
        );
        assert_eq!(named(&definitions, "synaptogensis"), ["synaptogenesis"]);
        assert_eq!(named(&definitions, "nerve cells"), ["neuron"]);
        assert_eq!(
            named(&definitions, "synapses and neurons"),
            ["synapse", "neuron"]
        );
        assert!(
            named(&definitions, "receptor").is_empty(),
            "every word of a form"
        );
        assert!(named(&definitions, "ketamine").is_empty());
    }
}
