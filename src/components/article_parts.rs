//! The parts of an article page around its body: references, review dates, the disclaimer and
//! the structured data search engines read.

use crate::content::{Article, ArticleSummary, ClinicalReview, Reference, format_date};
use leptos::prelude::*;
use serde_json::json;

/// The reference list, each entry with the id in-text citations link to.
#[component]
pub fn ReferenceList(references: Vec<Reference>) -> impl IntoView {
    (!references.is_empty()).then(|| {
        view! {
            <section class="references" aria-labelledby="references-title">
                <h2 id="references-title">"References"</h2>
                <ol>
                    {references
                        .into_iter()
                        .enumerate()
                        .map(|(index, reference)| {
                            view! {
                                <li id=Reference::anchor(index + 1)>
                                    <ReferenceEntry reference/>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </section>
        }
    })
}

/// One reference, APA-like: authors (year). Title. *Journal*, volume(issue), pages. DOI link.
#[component]
fn ReferenceEntry(reference: Reference) -> impl IntoView {
    let doi_url = reference.doi_url();
    let title = with_full_stop(&reference.title);
    let mut location = String::new();
    if let Some(volume) = &reference.volume {
        location.push_str(&format!(", {volume}"));
    }
    if let Some(issue) = &reference.issue {
        location.push_str(&format!("({issue})"));
    }
    if let Some(pages) = &reference.pages {
        location.push_str(&format!(", {pages}"));
    }
    location.push('.');
    let doi = match (doi_url, reference.doi) {
        (Some(url), _) => {
            Some(view! { " " <a class="doi" href=url.clone()>{url.clone()}</a> }.into_any())
        }
        (None, Some(doi)) => Some(view! { " doi:" {doi} }.into_any()),
        (None, None) => None,
    };
    view! {
        <span class="reference-authors">{reference.authors}</span>
        " (" {reference.year} "). "
        <span class="reference-title">{title}</span>
        " "
        <cite>{reference.journal}</cite>
        {location}
        {doi}
    }
}

fn with_full_stop(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '?', '!']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

/// "Page last reviewed" and "Next review due" at the foot of the article (NHS style), with
/// "This page is due for review." once `today` is past the due date; or, for an article no
/// clinician has approved, "This page has not yet been clinically reviewed." in their place.
#[component]
pub fn ReviewDates(review: Option<ClinicalReview>, today: chrono::NaiveDate) -> impl IntoView {
    let Some(review) = review else {
        return view! {
            <p class="review-dates review-dates--none">"This page has not yet been clinically reviewed."</p>
        }
        .into_any();
    };
    let due = review
        .is_due(today)
        .then(|| view! { <p class="review-due">"This page is due for review."</p> });
    view! {
        <div class="review-dates">
            <dl>
                <div>
                    <dt>"Page last reviewed:"</dt>
                    <dd><time datetime=review.on.to_string()>{format_date(review.on)}</time></dd>
                </div>
                <div>
                    <dt>"Next review due:"</dt>
                    <dd><time datetime=review.next_due.to_string()>{format_date(review.next_due)}</time></dd>
                </div>
            </dl>
            {due}
        </div>
    }
    .into_any()
}

/// "Clinically reviewed by NAME, CREDENTIALS on DATE", for an article a reviewer approved.
#[component]
pub fn ReviewedBy(review: Option<ClinicalReview>) -> impl IntoView {
    review.map(|review| {
        view! {
            <p class="clinical-review">
                {format!("Clinically reviewed by {} on ", review.by)}
                <time datetime=review.on.to_string()>{format_date(review.on)}</time>
            </p>
        }
    })
}

#[component]
pub fn MedicalDisclaimer() -> impl IntoView {
    view! {
        <aside class="disclaimer" aria-label="Medical disclaimer">
            <p>
                "This article is general information. It supports, and does not replace, care "
                "and advice from your own clinician. Talk to your care team before starting, "
                "stopping or changing any treatment."
            </p>
        </aside>
    }
}

/// Schema.org `MedicalWebPage` for the article, as JSON-LD.
#[component]
pub fn ArticleJsonLd(article: Article, url: String) -> impl IntoView {
    let citations: Vec<_> = article
        .references
        .iter()
        .map(|reference| {
            let mut citation = json!({
                "@type": "ScholarlyArticle",
                "name": reference.title,
                "author": reference.authors,
                "datePublished": reference.year,
                "isPartOf": { "@type": "Periodical", "name": reference.journal },
            });
            if let Some(doi_url) = reference.doi_url() {
                citation["sameAs"] = json!(doi_url);
            }
            citation
        })
        .collect();
    let data = json!({
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": article.title,
        "headline": article.title,
        "description": article.summary,
        "url": url,
        "inLanguage": "en",
        "author": {
            "@type": "Person",
            "name": article.author.name,
            "honorificSuffix": article.author.credentials,
        },
        "citation": citations,
    });
    let mut data = data;
    // Only a clinician's approval is a review: no dates or reviewer are claimed without one.
    if let Some(review) = &article.review {
        data["lastReviewed"] = json!(review.on.to_string());
        data["reviewedBy"] = json!({ "@type": "Person", "name": review.by });
    }
    // `<` is escaped so no text inside the data can close the script element.
    let script = data.to_string().replace('<', "\\u003c");
    view! { <script type="application/ld+json" inner_html=script></script> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_end_with_one_full_stop() {
        assert_eq!(with_full_stop("Signaling pathways"), "Signaling pathways.");
        assert_eq!(with_full_stop("Does it work?"), "Does it work?");
        assert_eq!(with_full_stop("Done."), "Done.");
    }
}

/// One article in a list (home, a topic, "Read next"): its title as a link, its summary,
/// reading time and review date.
#[component]
pub fn ArticleCard(article: ArticleSummary) -> impl IntoView {
    let href = format!("/articles/{}", article.slug);
    view! {
        <li class="article-card">
            <h3><a href=href>{article.title}</a></h3>
            <p>{article.summary}</p>
            <p class="article-card__meta">
                {format!("{} min read", article.reading_minutes)}
                {match article.last_reviewed {
                    Some(day) => view! {
                        " · Last reviewed "
                        <time datetime=day.to_string()>{format_date(day)}</time>
                    }.into_any(),
                    None => view! { " · Not yet clinically reviewed" }.into_any(),
                }}
            </p>
        </li>
    }
}
