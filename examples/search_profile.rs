//! Where a search's time goes, without HTTP or rendering: `SearchIndex::search` over the 50
//! benchmark queries (bench/search-queries.txt) against a database (bench/search.sh makes one).
//!
//! cargo run --release --features ssr --example search_profile -- sqlite://bench/out/search-sqlite/bench.db

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    use plasticity::server::db::Db;
    use plasticity::server::search::SearchIndex;
    let url = std::env::args()
        .nth(1)
        .ok_or("usage: search_profile DATABASE_URL")?;
    let db = Db::connect(&url).await?;
    let index = SearchIndex::default();
    let started = std::time::Instant::now();
    index.prepare(&db).await;
    println!("index built in {} ms", started.elapsed().as_millis());
    let queries: Vec<&str> = include_str!("../bench/search-queries.txt")
        .lines()
        .collect();
    let mut times = Vec::new();
    for _ in 0..10 {
        for query in &queries {
            let started = std::time::Instant::now();
            let results = index.search(&db, query, 1).await?;
            times.push((
                started.elapsed().as_secs_f64() * 1000.0,
                *query,
                results.total,
            ));
        }
    }
    times.sort_by(|a, b| a.0.total_cmp(&b.0));
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)].0;
    println!(
        "search(): p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms",
        at(0.5),
        at(0.95),
        at(0.99)
    );
    for (ms, query, total) in times.iter().rev().take(8) {
        println!("  {ms:.2} ms  {query:?} ({total} found)");
    }
    Ok(())
}

#[cfg(not(feature = "ssr"))]
fn main() {}
