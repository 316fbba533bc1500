//! A patient's words made into an index query. Never through tantivy's query language: every
//! character a patient types is text, so `"`, `*`, `:`, `(`, `OR`, `-`, `~` and `^` are words or
//! spaces, and nothing typed can be a syntax error.
//!
//! - Words outside quotes each must match (all of them; if that finds nothing, any of them),
//!   in the title (weight 3), summary (2) or body (1), as typed or with the typos its length
//!   forgives (`analysis::typos_forgiven`), the exact form counting more.
//! - Words inside quotes must appear together, in that order.
//! - A run of words that is one of a synonym group's entries ("post traumatic stress") also
//!   matches the group's other entries ("PTSD"), with the same forgiveness ("spravado" is
//!   "Spravato", so also "esketamine").

use super::analysis::{Word, near, stems};
use super::engine::Fields;
use crate::content::search::MAX_QUERY_WORDS;
use std::sync::LazyLock;
use tantivy::query::{
    BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

/// Words that ask rather than say ("what is PTSD"): left out of a query that has other words,
/// so a question finds the articles its subject words find.
const ASKING_WORDS: &str = "what whats how why when where who which does do did can could \
    should would will i im me my you your about get any";

static ASKING: LazyLock<Vec<String>> = LazyLock::new(|| {
    stems(ASKING_WORDS)
        .into_iter()
        .map(|word| word.stem)
        .collect()
});

/// The clinic's synonym groups: each entry analyzed into its words.
#[derive(Clone, Debug, Default)]
pub struct Synonyms {
    groups: Vec<Vec<Vec<Word>>>,
}

impl Synonyms {
    /// From the clinic's list: a group a line, its entries separated by commas.
    pub fn parse(list: &str) -> Synonyms {
        let groups = list
            .lines()
            .map(|line| {
                line.split(',')
                    .map(stems)
                    .filter(|entry| !entry.is_empty())
                    .collect::<Vec<_>>()
            })
            .filter(|group| group.len() > 1)
            .collect();
        Synonyms { groups }
    }

    /// The longest entry that `words` begin with: its group's other entries, and its length.
    fn at_start(&self, words: &[Word]) -> Option<(Vec<Vec<Word>>, usize)> {
        let mut best: Option<(usize, usize, usize)> = None;
        for (g, group) in self.groups.iter().enumerate() {
            for (e, entry) in group.iter().enumerate() {
                let fits = entry.len() <= words.len()
                    && entry
                        .iter()
                        .zip(words)
                        .all(|(known, typed)| near(typed, known));
                if fits && best.is_none_or(|(_, _, len)| entry.len() > len) {
                    best = Some((g, e, entry.len()));
                }
            }
        }
        best.map(|(g, e, len)| {
            let others = self.groups[g]
                .iter()
                .enumerate()
                .filter(|(other, _)| *other != e)
                .map(|(_, entry)| entry.clone())
                .collect();
            (others, len)
        })
    }
}

/// A query's parts, before they meet an index.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Words outside quotes (or runs of them that are a synonym), each one to match.
    units: Vec<Unit>,
    /// Quoted phrases, each to match as written.
    phrases: Vec<Vec<Word>>,
    /// Some words were left out (`MAX_QUERY_WORDS`).
    pub cut: bool,
}

#[derive(Clone, Debug)]
struct Unit {
    typed: Vec<Word>,
    /// The other entries of the synonym group `typed` is one of.
    synonyms: Vec<Vec<Word>>,
}

impl Plan {
    /// The plan for `query` (already cleaned, see `content::search::clean_query`).
    pub fn new(query: &str, synonyms: &Synonyms) -> Plan {
        let mut plan = Plan::default();
        let mut budget = MAX_QUERY_WORDS;
        let mut take = |words: Vec<Word>, cut: &mut bool| {
            if words.len() > budget {
                *cut = true;
            }
            let kept: Vec<Word> = words.into_iter().take(budget).collect();
            budget -= kept.len();
            kept
        };
        let pieces: Vec<&str> = query.split('"').collect();
        let mut loose = Vec::new();
        for (i, piece) in pieces.iter().enumerate() {
            // Inside quotes: an odd piece with a closing quote after it.
            if i % 2 == 1 && i + 1 < pieces.len() {
                let phrase = take(stems(piece), &mut plan.cut);
                if !phrase.is_empty() {
                    plan.phrases.push(phrase);
                }
            } else {
                loose.extend(stems(piece));
            }
        }
        let asking = |word: &Word| ASKING.contains(&word.stem);
        if loose.iter().any(|word| !asking(word)) || !plan.phrases.is_empty() {
            loose.retain(|word| !asking(word));
        }
        let loose = take(loose, &mut plan.cut);
        let mut rest = &loose[..];
        while !rest.is_empty() {
            let (synonyms, len) = synonyms.at_start(rest).unwrap_or_default();
            let len = len.max(1);
            plan.units.push(Unit {
                typed: rest[..len].to_vec(),
                synonyms,
            });
            rest = &rest[len..];
        }
        plan
    }

    /// Forgives typos only in the words the site does not use as typed (see
    /// `KNOWN_WORD_ARTICLES`), so the query, its snippets' marks and "Did you mean" all take a
    /// word of the site as written.
    pub fn forgive_only_misspellings(&mut self, searcher: &Searcher, fields: &Fields) {
        let known = |word: &Word| {
            let mut articles = 0;
            fields.weighted().iter().any(|(field, _)| {
                let term = Term::from_field_text(*field, &word.stem);
                articles += searcher.doc_freq(&term).unwrap_or(0);
                articles >= KNOWN_WORD_ARTICLES
            })
        };
        let units = self.units.iter_mut().flat_map(|unit| {
            unit.typed
                .iter_mut()
                .chain(unit.synonyms.iter_mut().flatten())
        });
        for word in units.chain(self.phrases.iter_mut().flatten()) {
            if word.typos > 0 && known(word) {
                word.typos = 0;
            }
        }
    }

    /// Whether there is anything to search for.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty() && self.phrases.is_empty()
    }

    /// Whether any-of would differ from all-of.
    pub fn has_alternatives(&self) -> bool {
        self.units.len() > 1
    }

    /// Every word the query can match, for marking snippets: as typed, and the synonyms'.
    pub fn words(&self) -> impl Iterator<Item = &Word> {
        self.units
            .iter()
            .flat_map(|unit| unit.typed.iter().chain(unit.synonyms.iter().flatten()))
            .chain(self.phrases.iter().flatten())
    }

    /// The index query: every unit must match (`all`), or any one (not `all`); phrases always.
    pub fn query(&self, fields: &Fields, all: bool) -> Box<dyn Query> {
        let occur = if all { Occur::Must } else { Occur::Should };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for unit in &self.units {
            let mut either = vec![(Occur::Should, run(fields, &unit.typed))];
            for entry in &unit.synonyms {
                either.push((Occur::Should, run(fields, entry)));
            }
            clauses.push((occur, Box::new(BooleanQuery::new(either))));
        }
        for phrase in &self.phrases {
            clauses.push((Occur::Must, run(fields, phrase)));
        }
        Box::new(BooleanQuery::new(clauses))
    }
}

/// A word in at least this many articles is one of the site's own words, spelt as the articles
/// spell it: its typos are not forgiven. Forgiving them matched the word itself again, once per
/// field, through every article that has it (a fuzzy match reads the whole list of each near
/// word, and a common word's list is most of the index). Taking them as written halved a search:
/// `SearchIndex::search` p50 2.27 to 1.27 ms at 10,000 articles, and whole `/search` pages on
/// two connections 438 to 727 a second (`bench/RESULTS.md`, 2026-12-08).
const KNOWN_WORD_ARTICLES: u64 = 3;

/// `words` in any weighted field: one word with its typos forgiven, several as a phrase.
fn run(fields: &Fields, words: &[Word]) -> Box<dyn Query> {
    let mut either: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (field, weight) in fields.weighted() {
        let term = |word: &Word| Term::from_field_text(field, &word.stem);
        match words {
            [word] => {
                let exact = TermQuery::new(term(word), IndexRecordOption::WithFreqs);
                either.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(exact), weight)),
                ));
                if word.typos > 0 {
                    // Scored as a constant (tantivy's fuzzy query): half the field's weight,
                    // so the word as written ranks above its near misses.
                    let fuzzy = FuzzyTermQuery::new(term(word), word.typos, true);
                    either.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(fuzzy), weight / 2.0)),
                    ));
                }
            }
            _ => {
                let first = words[0].position;
                let terms = words
                    .iter()
                    .map(|word| (word.position - first, term(word)))
                    .collect();
                let phrase = PhraseQuery::new_with_offset(terms);
                either.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(phrase), weight)),
                ));
            }
        }
    }
    // A misspelt word can stem apart from the word meant ("dissociaton" stems to itself,
    // "dissociation" to "dissoci"): its typos are also forgiven on whole words, at the body's
    // weight.
    if let [word] = words
        && word.typos > 0
    {
        let whole = Term::from_field_text(fields.words, &word.whole);
        let fuzzy = FuzzyTermQuery::new(whole, word.typos, true);
        either.push((
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(fuzzy), 0.5)),
        ));
    }
    Box::new(BooleanQuery::new(either))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeded() -> Synonyms {
        Synonyms::parse(crate::server::search::SEED_SYNONYMS)
    }

    fn units(plan: &Plan) -> Vec<String> {
        plan.units
            .iter()
            .map(|unit| {
                let typed: Vec<&str> = unit.typed.iter().map(|w| w.stem.as_str()).collect();
                format!("{}/{}", typed.join(" "), unit.synonyms.len())
            })
            .collect()
    }

    #[test]
    fn syntax_characters_are_only_spaces() {
        let plan = Plan::new(
            "ketamine* OR (dose:) -side ~effects^2 NEAR",
            &Synonyms::default(),
        );
        assert_eq!(
            units(&plan),
            // "or" is an English stop word, like "the": never searched.
            ["ketamin/0", "dose/0", "side/0", "effect/0", "2/0", "near/0"]
        );
        assert!(Plan::new("\"\" *:()", &Synonyms::default()).is_empty());
    }

    #[test]
    fn quotes_make_phrases_and_an_unclosed_quote_is_words() {
        let plan = Plan::new("\"brain plasticity\" ketamine \"open", &Synonyms::default());
        assert_eq!(plan.phrases.len(), 1);
        assert_eq!(units(&plan), ["ketamin/0", "open/0"]);
    }

    #[test]
    fn questions_keep_their_subject() {
        assert_eq!(
            units(&Plan::new("what is ptsd", &Synonyms::default())),
            ["ptsd/0"]
        );
        assert_eq!(units(&Plan::new("what", &Synonyms::default())), ["what/0"]);
    }

    #[test]
    fn synonyms_match_the_longest_entry_with_typos_forgiven() {
        let synonyms = seeded();
        assert_eq!(
            units(&Plan::new("treatment resistant depression", &synonyms)),
            ["treatment resist depress/1"]
        );
        assert_eq!(units(&Plan::new("spravado", &synonyms)), ["spravado/1"]);
        assert_eq!(
            units(&Plan::new("post-traumatic stress", &synonyms)),
            ["post traumat stress/2"]
        );
    }

    #[test]
    fn a_long_query_is_cut_to_its_words_budget() {
        let words = "word ".repeat(MAX_QUERY_WORDS + 3);
        let plan = Plan::new(&words, &Synonyms::default());
        assert!(plan.cut);
        assert_eq!(plan.units.len(), MAX_QUERY_WORDS);
    }
}
