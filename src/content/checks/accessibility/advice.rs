//! What each accessibility rule tells the writer: the problem, why it matters, how to fix it.

/// A rule's words: the problem, why it matters, how to fix it.
pub type Advice = (&'static str, &'static str, &'static str);

pub const HEADING_EMPTY: Advice = (
    "This heading has no words.",
    "Screen readers announce an empty heading, and people who jump from heading to heading land on nothing.",
    "Write the heading's words, or remove the heading.",
);
pub const HEADING_FIRST: Advice = (
    "The text starts with a heading.",
    "Patients already see the title as the page's main heading, with the key points under it: a heading straight after them repeats the title or says nothing new.",
    "Start with the first paragraph. If this heading is the title typed again, remove it.",
);
pub const HEADING_SKIPPED: Advice = (
    "",
    "People using screen readers move through an article by its headings; a skipped level makes them think they missed a section.",
    "Use the next level down: after \u{201c}#\u{201d} comes \u{201c}##\u{201d}, then \u{201c}###\u{201d}.",
);
pub const BOLD_AS_HEADING: Advice = (
    "This paragraph is only bold words: it looks like a heading but is not one.",
    "Screen readers and the page's outline skip it, so people who navigate by headings never find this section.",
    "Make it a heading (start the line with \u{201c}## \u{201d}), or write it as a sentence.",
);
pub const TYPED_LIST: Advice = (
    "These lines look like a list but are not one (bullets or numbers typed by hand, as a paste from a word processor leaves them).",
    "A screen reader reads them as one paragraph and does not say how many items there are; on a phone they wrap into one block.",
    "Start each item on its own line with \u{201c}- \u{201d} (or \u{201c}1. \u{201d} for steps), with an empty line before the list.",
);
pub const TABLE_NO_HEADER: Advice = (
    "This table has no header row.",
    "Without headers, a screen reader reads each cell without saying which column it belongs to.",
    "Write a short header for each column in the table's first row.",
);
pub const TABLE_EMPTY_HEADER: Advice = (
    "A column of this table has an empty header.",
    "A screen reader reads that column's cells without saying what they are.",
    "Give every column a short header.",
);
pub const LINK_VAGUE: Advice = (
    "This link's words do not say where it goes.",
    "People using screen readers often list a page's links on their own: \u{201c}click here\u{201d} or \u{201c}read more\u{201d} out of context says nothing.",
    "Use words that name the destination, like \u{201c}the FDA's notice on esketamine\u{201d}.",
);
pub const LINK_ADDRESS: Advice = (
    "This link's words are a web address.",
    "Screen readers read an address out letter by letter, and it tells patients little about what they will find.",
    "Use words that name the destination, and keep the address in the link only.",
);
pub const LINK_NO_TEXT: Advice = (
    "This link has no words.",
    "Screen readers announce it as just \u{201c}link\u{201d}, and no one can tell where it goes.",
    "Write the words the link should show, between the square brackets.",
);
pub const IMAGE_NO_ALT: Advice = (
    "This image has no alt text.",
    "People who cannot see the image, and everyone when it does not load, get nothing from it.",
    "Describe what the image shows, between the square brackets: ![What it shows](address).",
);
pub const IMAGE_ALT_NOTHING: Advice = (
    "This image's alt text is a file name or a word that describes nothing.",
    "A screen reader reads it out as it is, which tells the listener nothing about the image.",
    "Describe what the image shows and why it is there, in a short sentence.",
);
pub const CAPITALS: Advice = (
    "This sentence is written in capitals.",
    "Capitals are harder to read, screen readers may spell them out letter by letter, and they read as shouting.",
    "Write it in sentence case; to stress it, make it bold or put it in its own short paragraph.",
);
