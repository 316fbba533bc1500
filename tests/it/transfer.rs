//! `plasticity export` and `plasticity import`: a portal moved from SQLite into an empty
//! database (SQLite, and PostgreSQL when `PLASTICITY_TEST_POSTGRES` is set) and exported again
//! gives the same files, so nothing was lost or changed on the way.

use crate::support;

use plasticity::content::editing::ArticleDraft;
use plasticity::content::review::Approval;
use plasticity::content::staff::Role;
use plasticity::content::{Author, Reference};
use plasticity::server::db::seed::load_seed_once;
use plasticity::server::db::{AuditAction, AuditRecord, NewStaff};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};
use support::TestDb;

pub(crate) fn plasticity(database_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plasticity"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "off")
        .output()
        .expect("run plasticity")
}

pub(crate) fn succeeded(output: &Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// Every file under `dir` by relative path, with the export's own date taken out.
fn files(dir: &Path) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let text = std::fs::read_to_string(&path).unwrap();
                let text: String = text
                    .lines()
                    .filter(|line| !line.starts_with("exported_at"))
                    .map(|line| format!("{line}\n"))
                    .collect();
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                found.insert(name, text);
            }
        }
    }
    found
}

/// A portal with some history: the seed, staff, an article with two revisions (one published,
/// with references, one newer draft in review), and audit lines.
async fn portal_with_history() -> TestDb {
    let t = TestDb::sqlite().await;
    load_seed_once(&t.db).await.unwrap();
    let mut ids = Vec::new();
    for (email, role) in [
        ("writer@clinic.example", Role::Writer),
        ("reviewer@clinic.example", Role::Reviewer),
    ] {
        let member =
            t.db.add_staff(&NewStaff {
                email,
                name: "Dr. Test \"Quoted\" Name",
                role,
                credentials: "MD, PhD",
                password_hash: "secret-hash",
            })
            .await
            .unwrap();
        ids.push(member.id);
    }
    let draft = |body: &str| ArticleDraft {
        title: "Ketamine & sleep: what to expect".into(),
        slug: "ketamine-and-sleep".into(),
        summary: "Sleep after an infusion.\nA second line.".into(),
        body: body.into(),
        author: Author {
            name: "Kim Writer".into(),
            credentials: "RN".into(),
        },
        references: vec![Reference {
            authors: "Duman, R. S.".into(),
            year: "2012".into(),
            title: "Signaling pathways".into(),
            journal: "Neuropharmacology".into(),
            volume: Some("62".into()),
            issue: Some("1".into()),
            pages: None,
            doi: Some("10.1016/j.neuropharm.2011.08.044".into()),
        }],
        // Listed under the seeded topic and suggesting the seed: both go through the round trip.
        topics: vec![1],
        read_next: vec!["ketamine-and-brain-plasticity".into()],
    };
    let (id, first) =
        t.db.create_article(
            &draft("\n# Heading\n\n+++\nText with +++ inside.\n"),
            ids[0],
            "Created",
        )
        .await
        .unwrap();
    t.db.submit_for_review(id, first, ids[0]).await.unwrap();
    let reviewer = Author {
        name: "Dr. Test".into(),
        credentials: "MD".into(),
    };
    t.db.approve_and_publish(
        id,
        first,
        (ids[1], &reviewer),
        "2026-11-27".parse().unwrap(),
        &Approval {
            interval_months: 12,
            ..Approval::default()
        },
    )
    .await
    .unwrap();
    let second =
        t.db.save_revision(
            id,
            first,
            &draft("Newer text, no final newline"),
            ids[0],
            "edit",
        )
        .await
        .unwrap();
    t.db.submit_for_review(id, second, ids[0]).await.unwrap();
    // The reviewer has a second factor: an app (sealed secret), recovery codes and a passkey.
    assert!(
        t.db.create_session("enrolling", ids[1], 900, None, 0)
            .await
            .unwrap()
    );
    t.db.begin_totp_enrolment("enrolling", "sealed-secret-as-stored")
        .await
        .unwrap();
    assert!(
        t.db.confirm_totp(ids[1], "enrolling", 7, 1_000)
            .await
            .unwrap()
    );
    t.db.replace_recovery_codes(ids[1], &["hash-one".into(), "hash-two".into()])
        .await
        .unwrap();
    assert!(
        t.db.add_passkey(ids[1], "credential-id", "Work laptop", "{\"cred\":1}", 900)
            .await
            .unwrap()
    );
    // The glossary as staff changed it: a term added (with quotes and markup), one removed.
    t.db.add_glossary_term(
        &plasticity::content::glossary::TermDraft {
            term: "amygdala".into(),
            definition: "A part of the brain that \"feels\" fear <b>fast</b>.".into(),
            also: "amygdalae\n".into(),
        },
        ids[1],
    )
    .await
    .unwrap();
    t.db.remove_glossary_term(1, 1).await.unwrap();
    // The search synonyms as an admin changed them.
    t.db.save_search_synonyms("ketamine, Ketalar\nxylophone, \"marimba\"", 1, Some(ids[1]))
        .await
        .unwrap();
    t.db.audit(&AuditRecord {
        staff_id: Some(ids[1]),
        actor: "reviewer@clinic.example",
        action: AuditAction::ApprovedAndPublished,
        subject: "article 2",
        address: "192.0.2.1",
    })
    .await
    .unwrap();
    t
}

async fn round_trip_into(source: &TestDb, target: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    let (first_dir, second_dir) = (first.to_str().unwrap(), second.to_str().unwrap());
    let said = succeeded(&plasticity(&source.url, &["export", first_dir]));
    assert!(
        said.contains("2 articles (3 revisions), 2 staff accounts"),
        "{said}"
    );
    assert!(
        first
            .join("articles/0002-ketamine-and-sleep/revision-00003.md")
            .is_file()
    );
    let staff = std::fs::read_to_string(first.join("staff.toml")).unwrap();
    assert!(staff.contains("writer@clinic.example") && !staff.contains("secret-hash"));
    for kept in ["sealed-secret-as-stored", "hash-two", "Work laptop"] {
        assert!(staff.contains(kept), "{kept} in {staff}");
    }

    let said = succeeded(&plasticity(&target.url, &["import", first_dir]));
    assert!(said.contains("set-password"), "{said}");
    assert_eq!(
        planner_rows(&target.url, "articles").await,
        2,
        "the import brings the planner's statistics up to date"
    );
    succeeded(&plasticity(&target.url, &["export", second_dir]));
    let (before, after) = (files(&first), files(&second));
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (name, text) in &before {
        assert_eq!(text, &after[name], "{name} differs after the round trip");
    }
    // What patients read is the same.
    for slug in ["ketamine-and-brain-plasticity", "ketamine-and-sleep"] {
        assert_eq!(
            source.db.published_article(slug).await.unwrap(),
            target.db.published_article(slug).await.unwrap()
        );
    }
    // Each revision keeps its topics and "Read next" (the seed, article 1).
    let revision = first.join("articles/0002-ketamine-and-sleep/revision-00003.md");
    let revision = std::fs::read_to_string(revision).unwrap();
    assert!(
        revision.contains("topics = [1]\nread_next = [1]"),
        "{revision}"
    );
    let read_next = target.db.read_next(2).await.unwrap();
    assert_eq!(read_next[0].slug, "ketamine-and-brain-plasticity");
    assert_eq!(source.db.read_next(2).await.unwrap(), read_next);
    assert_eq!(target.db.published_topic_links(2).await.unwrap().len(), 1);
    // The glossary is the source's, not the one the target's migration seeded.
    let glossary = std::fs::read_to_string(first.join("glossary.toml")).unwrap();
    assert!(
        glossary.contains("amygdala") && !glossary.contains("atrophy"),
        "{glossary}"
    );
    assert_eq!(
        source.db.glossary().await.unwrap(),
        target.db.glossary().await.unwrap()
    );
    // So are the search synonyms.
    let synonyms = std::fs::read_to_string(first.join("synonyms.toml")).unwrap();
    assert!(synonyms.contains("marimba"), "{synonyms}");
    assert_eq!(
        source.db.search_synonyms().await.unwrap(),
        target.db.search_synonyms().await.unwrap()
    );
    // A second import is refused: the database is no longer empty.
    let again = plasticity(&target.url, &["import", first.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("import only into an empty database"));
}

/// How many rows the query planner believes `table` holds (its last `ANALYZE`); -1 if never.
async fn planner_rows(url: &str, table: &str) -> i64 {
    use sqlx::Connection;
    if url.starts_with("sqlite:") {
        let mut db = sqlx::SqliteConnection::connect(url).await.unwrap();
        // `ANALYZE` writes each index's row count first in its `sqlite_stat1` line; a partial
        // index (`articles_in_review`) counts only its rows, so the table's is the largest.
        let stats: Vec<String> =
            sqlx::query_scalar("SELECT stat FROM sqlite_stat1 WHERE tbl = $1 AND idx IS NOT NULL")
                .bind(table)
                .fetch_all(&mut db)
                .await
                .unwrap_or_default();
        stats
            .iter()
            .filter_map(|stat| stat.split(' ').next()?.parse().ok())
            .max()
            .unwrap_or(-1)
    } else {
        let mut db = sqlx::PgConnection::connect(url).await.unwrap();
        let rows: f32 = sqlx::query_scalar("SELECT reltuples FROM pg_class WHERE relname = $1")
            .bind(table)
            .fetch_one(&mut db)
            .await
            .unwrap();
        rows as i64
    }
}

#[tokio::test]
async fn sqlite_to_sqlite_round_trip_keeps_everything() {
    let source = portal_with_history().await;
    round_trip_into(&source, &TestDb::sqlite().await).await;
}

#[tokio::test]
async fn sqlite_to_postgres_round_trip_keeps_everything() {
    let source = portal_with_history().await;
    let Some(target) = TestDb::postgres().await else {
        return;
    };
    round_trip_into(&source, &target).await;
}

#[test]
fn export_refuses_a_folder_with_files_and_import_a_folder_without_an_export() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/db.sqlite", dir.path().display());
    std::fs::write(dir.path().join("note.txt"), "keep me").unwrap();
    let refused = plasticity(&url, &["export", dir.path().to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("is not empty"));
    let refused = plasticity(&url, &["import", dir.path().to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("is not a Plasticity export"));
}

#[tokio::test]
async fn export_works_after_two_articles_are_edited_in_turn() {
    let source = portal_with_history().await;
    // The seed's next revision comes after the other article's: their ids interleave.
    let seed = source.db.editable_article(1).await.unwrap().unwrap();
    let mut draft = seed.draft.clone();
    draft.body.push_str("\n\nOne more paragraph.\n");
    let writer = source.db.staff().await.unwrap()[0].id;
    source
        .db
        .save_revision(1, seed.head_revision_id, &draft, writer, "later edit")
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("export");
    let said = succeeded(&plasticity(&source.url, &["export", out.to_str().unwrap()]));
    assert!(said.contains("2 articles (4 revisions)"), "{said}");
    let target = TestDb::sqlite().await;
    succeeded(&plasticity(&target.url, &["import", out.to_str().unwrap()]));
    let imported = target.db.editable_article(1).await.unwrap().unwrap();
    assert_eq!(imported.draft.body, draft.body);
}

/// An export of the portal, to tamper with.
pub(crate) async fn exported() -> (tempfile::TempDir, std::path::PathBuf) {
    let source = portal_with_history().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("export");
    succeeded(&plasticity(&source.url, &["export", out.to_str().unwrap()]));
    (dir, out)
}

pub(crate) fn import_refused(out: &Path) -> String {
    let target = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/db.sqlite", target.path().display());
    let refused = plasticity(&url, &["import", out.to_str().unwrap()]);
    assert!(!refused.status.success());
    String::from_utf8_lossy(&refused.stderr).into_owned()
}

#[tokio::test]
async fn import_refuses_a_slug_that_could_leave_the_folder() {
    let (_dir, out) = exported().await;
    let article = out.join("articles/0002-ketamine-and-sleep/article.toml");
    let text = std::fs::read_to_string(&article).unwrap();
    let text = text.replace("slug = \"ketamine-and-sleep\"", "slug = \"../../escaped\"");
    std::fs::write(&article, text).unwrap();
    let said = import_refused(&out);
    assert!(said.contains("slug `../../escaped`"), "{said}");
}

#[tokio::test]
async fn import_refuses_a_revision_the_editor_would_refuse() {
    let (_dir, out) = exported().await;
    let revision = out.join("articles/0002-ketamine-and-sleep/revision-00003.md");
    let text = std::fs::read_to_string(&revision).unwrap();
    let text = text.replace("slug = \"ketamine-and-sleep\"", "slug = \"a/../../b\"");
    std::fs::write(&revision, text).unwrap();
    let said = import_refused(&out);
    assert!(
        said.contains("revision 3 is not valid") && said.contains("slug"),
        "{said}"
    );
}

#[tokio::test]
async fn import_refuses_symbolic_links() {
    let (dir, out) = exported().await;
    let outside = dir.path().join("outside.md");
    let revision = out.join("articles/0002-ketamine-and-sleep/revision-00003.md");
    std::fs::rename(&revision, &outside).unwrap();
    std::os::unix::fs::symlink(&outside, &revision).unwrap();
    let said = import_refused(&out);
    assert!(said.contains("symbolic link"), "{said}");
}
