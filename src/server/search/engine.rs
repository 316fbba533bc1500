//! The index itself: one tantivy index in memory per instance, holding every published article
//! (its slug, title, summary and text), added, replaced and removed one article at a time as
//! the content changes, or built anew.

use super::analysis::{STEMMED, WORDS, analyzers};
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// The indexer's memory before it writes a segment (tantivy's floor is 15 MB a thread): one
/// thread, so a full build holds about this much beside the index itself.
const WRITER_BYTES: usize = 24 * 1024 * 1024;

/// What is indexed of one published article.
#[derive(Clone, Debug)]
pub struct Document {
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// The body, Markdown as written (indexed as a reader meets it: words, no Markdown).
    pub body: String,
    /// The names of the topics it is listed under.
    pub topics: String,
}

/// The index's fields.
#[derive(Clone, Copy)]
pub struct Fields {
    pub slug: Field,
    pub title: Field,
    pub summary: Field,
    pub body: Field,
    pub topics: Field,
    /// Every word of the three, unstemmed: what "Did you mean" suggests from.
    pub words: Field,
}

impl Fields {
    /// The searched fields with their weights: a word in the title counts three times one in
    /// the body, one in the summary or a topic's name twice.
    pub fn weighted(&self) -> [(Field, f32); 4] {
        [
            (self.title, 3.0),
            (self.summary, 2.0),
            (self.topics, 2.0),
            (self.body, 1.0),
        ]
    }
}

/// The index, its writer and a reader that sees the last commit.
pub struct Engine {
    pub fields: Fields,
    writer: IndexWriter,
    pub reader: IndexReader,
}

impl Engine {
    /// An empty index.
    pub fn new() -> tantivy::Result<Engine> {
        let mut schema = Schema::builder();
        let text = |tokenizer: &str, record: IndexRecordOption| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(record),
            )
        };
        let stemmed = text(STEMMED, IndexRecordOption::WithFreqsAndPositions);
        let fields = Fields {
            slug: schema.add_text_field("slug", STRING | STORED),
            title: schema.add_text_field("title", stemmed.clone()),
            summary: schema.add_text_field("summary", stemmed.clone()),
            body: schema.add_text_field("body", stemmed.clone()),
            topics: schema.add_text_field("topics", stemmed),
            words: schema.add_text_field("words", text(WORDS, IndexRecordOption::Basic)),
        };
        let index = Index::create_in_ram(schema.build());
        for (name, analyzer) in analyzers() {
            index.tokenizers().register(name, analyzer);
        }
        let writer = index.writer_with_num_threads(1, WRITER_BYTES)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Engine {
            fields,
            writer,
            reader,
        })
    }

    /// Adds `document` (after `remove` of its slug, if it may be there already).
    pub fn add(&mut self, document: &Document) -> tantivy::Result<()> {
        let fields = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.slug, &document.slug);
        doc.add_text(fields.title, &document.title);
        doc.add_text(fields.summary, &document.summary);
        let text = crate::content::checks::reader_text(&document.body);
        doc.add_text(fields.body, &text);
        doc.add_text(fields.topics, &document.topics);
        for text in [&document.title, &document.summary, &text] {
            doc.add_text(fields.words, text);
        }
        self.writer.add_document(doc)?;
        Ok(())
    }

    /// Removes the article at `slug`, if it is there.
    pub fn remove(&mut self, slug: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.slug, slug));
    }

    /// Makes what was added and removed searchable.
    pub fn commit(&mut self) -> tantivy::Result<()> {
        self.writer.commit()?;
        self.reader.reload()
    }
}

/// The slug of the article at `address` in `searcher`.
pub fn slug(
    searcher: &tantivy::Searcher,
    fields: Fields,
    address: DocAddress,
) -> tantivy::Result<String> {
    let doc: TantivyDocument = searcher.doc(address)?;
    Ok(doc
        .get_first(fields.slug)
        .and_then(|value| value.as_str())
        .unwrap_or_default()
        .to_owned())
}
