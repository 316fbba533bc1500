//! Benchmark fixture: a database with the seed plus N generated published articles, each the
//! seed's text under its own slug (`generated-0001` …), so every article page weighs the same.
//!
//! cargo run --release --features ssr --example generate_articles -- sqlite://bench/out/bench.db 1000
//!
//! With a third argument `varied` (the search benchmark), article N is instead one of the fifty
//! articles of the search relevance fixture (`tests/it/fixtures/search_articles.txt`), its title
//! numbered, followed by the seed's text: fifty subjects, so a query matches some articles and
//! not all of them, each article as long as the seed.

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    use plasticity::content::ArticleStatus;
    use plasticity::server::db::Db;
    use plasticity::server::db::seed::{load_seed_once, seed_article};

    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .ok_or("usage: generate_articles DATABASE_URL COUNT")?;
    let count: u32 = args
        .next()
        .ok_or("usage: generate_articles DATABASE_URL COUNT")?
        .parse()?;
    let varied = args.next().as_deref() == Some("varied");
    let fixture: Vec<Vec<&str>> = include_str!("../tests/it/fixtures/search_articles.txt")
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| line.splitn(4, " | ").collect())
        .collect();
    let db = Db::connect(&url).await?;
    db.migrate().await?;
    load_seed_once(&db).await?;
    for n in 1..=count {
        let mut article = seed_article();
        article.slug = format!("generated-{n:04}");
        article.title = format!("{} ({n})", article.title);
        if varied {
            let [_, title, summary, body] = fixture[n as usize % fixture.len()][..] else {
                return Err("the search fixture has a malformed line".into());
            };
            article.title = format!("{title} ({n})");
            article.summary = summary.to_owned();
            article.body = format!("{body}\n\n{}", article.body);
        }
        db.insert_article(&article, ArticleStatus::Published)
            .await?;
    }
    // As `plasticity import` does after writing many rows at once.
    db.refresh_statistics().await?;
    db.close().await;
    println!("{url}: seed + {count} generated articles");
    Ok(())
}

#[cfg(not(feature = "ssr"))]
fn main() {}
