//! Property tests of Markdown → sanitised HTML (`render_article_body`): generated mixtures of
//! Markdown, raw HTML, character references and URLs never yield a script, an event-handler
//! attribute, a `javascript:` / `vbscript:` / `data:` URL (images may use `data:image/…`), or
//! markup that escapes the article element. The output is judged by a real HTML parser
//! (html5ever, as ammonia and browsers parse), not by searching its text.

use html5ever::tendril::TendrilSink;
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use plasticity::content::Reference;
use plasticity::content::markdown::render_article_body;
use proptest::prelude::*;

/// Pieces an attacker (or a careless paste) might combine.
const PIECES: &[&str] = &[
    "# Heading\n",
    "\n\n",
    "*emphasis* ",
    "**strong** ",
    "`code` ",
    "```\nfenced\n```\n",
    "> quote\n",
    "- item\n",
    "1. item\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "[link](https://example.org) ",
    "[x](javascript:alert(1)) ",
    "[x](JaVaScRiPt:alert(1)) ",
    "[x](java\tscript:alert(1)) ",
    "[x](&#106;avascript:alert(1)) ",
    "[x](vbscript:msgbox) ",
    "[x](data:text/html,<script>1</script>) ",
    "![i](data:image/png;base64,iVBORw0KGgo=) ",
    "![i](javascript:alert(1)) ",
    "<https://example.org> ",
    "<javascript:alert(1)> ",
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>1</script></svg>",
    "<math><mtext><script>1</script></mtext></math>",
    "<iframe src=//x.example></iframe>",
    "<a href=\"javascript:alert(1)\">a</a>",
    "<a href=\"  javascript:alert(1)\">a</a>",
    "<a href=\"jav&#x0A;ascript:alert(1)\">a</a>",
    "<a href='vbscript:x'>a</a>",
    "<form action=/x><button>b</button></form>",
    "<object data=x></object>",
    "<embed src=x>",
    "<style>body{}</style>",
    "<link rel=stylesheet href=x>",
    "<meta http-equiv=refresh content=0>",
    "<base href=//x.example/>",
    "<div onclick=alert(1)>d</div>",
    "<p style=\"background:url(javascript:1)\">p</p>",
    "</article>",
    "</div>",
    "</main></body></html>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<textarea>",
    "</textarea>",
    "</title>",
    "<title>",
    "<noscript>",
    "<template>",
    "<select><option>",
    "\"><svg onload=alert(1)>",
    "'><img src=x onerror=1>",
    "&lt;script&gt;",
    "&amp;",
    "&#x3C;script&#x3E;",
    "&#60;",
    "<",
    ">",
    "\"",
    "'",
    "=",
    "(Duman et al., 2012) ",
    "[1] ",
    "\\",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=1>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">d</a>",
    "<img src=\"data:image/svg+xml,<svg onload=1>\">",
    "<a href=\"https://ok.example/?q=javascript:1\">fine</a>",
    "word ",
    "another ",
    "\n",
];

fn article_markdown() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 1..24).prop_map(|pieces| pieces.concat())
}

fn elements(node: &Handle, found: &mut Vec<Handle>) {
    if matches!(node.data, NodeData::Element { .. }) {
        found.push(node.clone());
    }
    for child in node.children.borrow().iter() {
        elements(child, found);
    }
    if let NodeData::Element {
        template_contents, ..
    } = &node.data
        && let Some(contents) = template_contents.borrow().as_ref()
    {
        elements(contents, found);
    }
}

fn name(node: &Handle) -> String {
    match &node.data {
        NodeData::Element { name, .. } => name.local.to_string(),
        _ => String::new(),
    }
}

/// What is wrong with `html` placed in the article element of a page, if anything.
fn problems(html: &str) -> Vec<String> {
    let page = format!(
        "<!DOCTYPE html><html><head></head><body><article>{html}</article><aside></aside></body></html>"
    );
    let dom = html5ever::parse_document(RcDom::default(), Default::default()).one(page);
    let mut found = Vec::new();
    elements(&dom.document, &mut found);
    let mut problems = Vec::new();
    // The page's own frame is intact: body holds the article, then the aside, and nothing else.
    let body = found.iter().find(|node| name(node) == "body").cloned();
    if let Some(body) = body {
        let children: Vec<String> = body
            .children
            .borrow()
            .iter()
            .filter(|child| matches!(child.data, NodeData::Element { .. }))
            .map(name)
            .collect();
        if children != ["article", "aside"] {
            problems.push(format!(
                "markup outside the article: body holds {children:?}"
            ));
        }
    }
    let head_children = found
        .iter()
        .find(|node| name(node) == "head")
        .map_or(0, |head| head.children.borrow().len());
    if head_children > 0 {
        problems.push("markup reached <head>".into());
    }
    for node in &found {
        let element = name(node);
        if [
            "script", "iframe", "object", "embed", "style", "link", "meta", "base", "form", "frame",
        ]
        .contains(&element.as_str())
        {
            problems.push(format!("a <{element}> element"));
        }
        let NodeData::Element { attrs, .. } = &node.data else {
            continue;
        };
        for attr in attrs.borrow().iter() {
            let attribute = attr.name.local.to_string().to_ascii_lowercase();
            let value: String = attr
                .value
                .chars()
                .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if attribute.starts_with("on") {
                problems.push(format!("an event handler {attribute} on <{element}>"));
            }
            if attribute == "style" && value.contains("javascript:") {
                problems.push(format!("script in a style on <{element}>"));
            }
            if [
                "href",
                "src",
                "action",
                "formaction",
                "xlink:href",
                "data",
                "srcset",
                "poster",
            ]
            .contains(&attribute.as_str())
            {
                let image_data = element == "img"
                    && attribute == "src"
                    && value.starts_with("data:image/")
                    && !value.starts_with("data:image/svg");
                if value.starts_with("javascript:")
                    || value.starts_with("vbscript:")
                    || (value.starts_with("data:") && !image_data)
                {
                    problems.push(format!("{attribute}=\"{value}\" on <{element}>"));
                }
            }
        }
    }
    problems
}

fn references() -> Vec<Reference> {
    vec![Reference {
        authors: "Duman, R. S., & Aghajanian, G. K.".into(),
        year: "2012".into(),
        title: "Synaptic dysfunction in depression".into(),
        journal: "Science".into(),
        volume: None,
        issue: None,
        pages: None,
        doi: Some("10.1126/science.1222939".into()),
    }]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn rendered_articles_never_carry_script_or_leave_their_element(markdown in article_markdown()) {
        let html = render_article_body(&markdown, &references());
        let found = problems(&html);
        prop_assert!(found.is_empty(), "{found:?}\nMarkdown: {markdown:?}\nHTML: {html}");
    }
}

#[test]
fn the_judge_itself_sees_each_kind_of_problem() {
    for (html, expected) in [
        ("<script>1</script>", "<script>"),
        ("<img src=x onerror=1>", "event handler"),
        ("<a href=\" JavaScript:1\">a</a>", "href"),
        ("<a href=\"data:text/html,x\">a</a>", "href"),
        ("</article><p>x</p>", "outside the article"),
    ] {
        let found = problems(html).join("; ");
        assert!(found.contains(expected), "{html}: {found}");
    }
    assert!(
        problems(
            "<p><img src=\"data:image/png;base64,AA==\"> <a href=\"https://x.example\">x</a></p>"
        )
        .is_empty()
    );
}
