//! The storage layer, the same tests on both backends: each test below runs once on a fresh
//! SQLite file (`sqlite::…`) and once on a fresh PostgreSQL database (`postgres::…`). The
//! PostgreSQL runs need `PLASTICITY_TEST_POSTGRES` (see the README); without it they return at
//! once and `make test` prints that they were skipped.

use crate::support;

use chrono::NaiveDate;
use plasticity::content::editing::ArticleDraft;
use plasticity::content::review::Approval;
use plasticity::content::staff::{Role, StaffMember};
use plasticity::content::{ArticleStatus, Author, Reference};
use plasticity::server::db::seed::load_seed_once;
use plasticity::server::db::{
    AddStaffError, AuditAction, AuditRecord, Changes, Db, NewStaff, RestoreError, ReviewError,
    SaveError,
};
use support::{TestDb, article_file};

pub(crate) fn draft(slug: &str, body: &str) -> ArticleDraft {
    ArticleDraft {
        title: format!("Title of {slug}"),
        slug: slug.to_owned(),
        summary: "A summary.".into(),
        body: body.to_owned(),
        author: Author {
            name: "A. Writer".into(),
            credentials: "RN".into(),
        },
        references: vec![Reference {
            authors: "Duman, R. S.".into(),
            year: "2012".into(),
            title: "Signaling pathways".into(),
            journal: "Neuropharmacology".into(),
            volume: Some("62".into()),
            issue: None,
            pages: Some("35-41".into()),
            doi: Some("10.1016/j.neuropharm.2011.08.044".into()),
        }],
        topics: vec![],
        read_next: vec![],
    }
}

pub(crate) async fn staff(db: &Db, email: &str, role: Role) -> StaffMember {
    db.add_staff(&NewStaff {
        email,
        name: &format!("Name of {email}"),
        role,
        credentials: "MD",
        password_hash: "hash-of-a-password",
    })
    .await
    .expect("add staff")
}

pub(crate) fn day(text: &str) -> NaiveDate {
    text.parse().expect("date")
}

on_both_backends! {
    async fn the_seed_loads_once_with_its_references(t: &TestDb) {
        assert!(load_seed_once(&t.db).await.unwrap());
        assert!(!load_seed_once(&t.db).await.unwrap());
        let listed = t.db.published_articles(10, None).await.unwrap();
        assert_eq!(listed.len(), 1);
        let seed = t.db.published_article(&listed[0].slug).await.unwrap().unwrap();
        assert!(seed.body.contains("plasticity"));
        assert!(seed.references.len() >= 2, "{:?}", seed.references);
        assert!(seed.references.iter().any(|r| r.doi.is_some()));
    }

    async fn two_starts_at_once_load_the_seed_once(t: &TestDb) {
        let other = Db::connect(&t.url).await.unwrap();
        let (a, b) = tokio::join!(load_seed_once(&t.db), load_seed_once(&other));
        assert_eq!([a.unwrap(), b.unwrap()].iter().filter(|loaded| **loaded).count(), 1);
        assert_eq!(t.db.published_articles(10, None).await.unwrap().len(), 1);
    }

    async fn only_published_articles_are_listed_newest_first_and_paged(t: &TestDb) {
        for slug in ["first", "second", "third"] {
            t.db.insert_article(&article_file(slug, "Text."), ArticleStatus::Published)
                .await
                .unwrap();
        }
        t.db.insert_article(&article_file("hidden", "Text."), ArticleStatus::Draft)
            .await
            .unwrap();
        let page = |limit, before| t.db.published_articles(limit, before);
        let slugs = |list: Vec<plasticity::content::ArticleSummary>| {
            list.into_iter().map(|a| a.slug).collect::<Vec<_>>()
        };
        // Keyset pages: each continues after the article named, on both backends.
        assert_eq!(slugs(page(2, None).await.unwrap()), ["third", "second"]);
        assert_eq!(slugs(page(2, Some("second")).await.unwrap()), ["first"]);
        assert!(page(2, Some("first")).await.unwrap().is_empty());
        // After a draft, or no article at all: nothing (the page is not found).
        assert!(page(2, Some("hidden")).await.unwrap().is_empty());
        assert!(page(2, Some("nowhere")).await.unwrap().is_empty());
        assert!(t.db.published_article("hidden").await.unwrap().is_none());
        // Loaded as published, but no clinician has reviewed it: no review, no dates.
        let first = t.db.published_article("first").await.unwrap().unwrap();
        assert_eq!(first.review, None);
        assert_eq!(page(3, None).await.unwrap()[2].last_reviewed, None);
    }

    async fn saves_make_revisions_and_a_stale_save_is_a_conflict(t: &TestDb) {
        let writer = staff(&t.db, "writer@clinic.example", Role::Writer).await;
        let (id, first) = t.db.create_article(&draft("notes", "One."), writer.id, "Created").await.unwrap();
        let second = t
            .db
            .save_revision(id, first, &draft("notes", "Two."), writer.id, "second")
            .await
            .unwrap();
        let stale = t
            .db
            .save_revision(id, first, &draft("notes", "Three."), writer.id, "stale")
            .await;
        assert!(
            matches!(stale, Err(SaveError::Conflict { base: Some(b), current }) if b == first && current == second),
            "{stale:?}"
        );
        let editable = t.db.editable_article(id).await.unwrap().unwrap();
        assert_eq!(editable.head_revision_id, second);
        assert_eq!(editable.draft.body, "Two.");
        assert_eq!(editable.draft.references, draft("notes", "").references);
        let history = t.db.revisions(id).await.unwrap();
        assert_eq!(history.iter().map(|r| r.id).collect::<Vec<_>>(), [second, first]);
        assert_eq!(history[0].note, "second");
        assert_eq!(history[0].saved_by, writer.name);
        let old = t.db.revision_draft(id, first).await.unwrap().unwrap();
        assert_eq!(old, draft("notes", "One."));
        assert!(t.db.revision_draft(id + 1000, first).await.unwrap().is_none());
        assert!(matches!(
            t.db.save_revision(id + 1000, second, &draft("x", "x"), writer.id, "").await,
            Err(SaveError::NotFound(_))
        ));
    }

    async fn two_saves_from_the_same_revision_at_once_one_wins(t: &TestDb) {
        let writer = staff(&t.db, "writer@clinic.example", Role::Writer).await;
        let (id, base) = t.db.create_article(&draft("race", "Zero."), writer.id, "Created").await.unwrap();
        let other = Db::connect(&t.url).await.unwrap();
        let (first, second) = (draft("race", "A."), draft("race", "B."));
        let (a, b) = tokio::join!(
            t.db.save_revision(id, base, &first, writer.id, "a"),
            other.save_revision(id, base, &second, writer.id, "b"),
        );
        let wins = [&a, &b].iter().filter(|r| r.is_ok()).count();
        assert_eq!(wins, 1, "{a:?} {b:?}");
        assert!(
            [&a, &b].iter().any(|r| matches!(r, Err(SaveError::Conflict { .. }))),
            "{a:?} {b:?}"
        );
        assert_eq!(t.db.revisions(id).await.unwrap().len(), 2);
    }

    async fn a_slug_belongs_to_one_article(t: &TestDb) {
        let writer = staff(&t.db, "writer@clinic.example", Role::Writer).await;
        t.db.create_article(&draft("taken", "One."), writer.id, "Created").await.unwrap();
        assert!(matches!(
            t.db.create_article(&draft("taken", "Two."), writer.id, "Created").await,
            Err(SaveError::SlugTaken(slug)) if slug == "taken"
        ));
        let (id, head) = t.db.create_article(&draft("free", "Three."), writer.id, "Created").await.unwrap();
        assert!(matches!(
            t.db.save_revision(id, head, &draft("taken", "Three."), writer.id, "").await,
            Err(SaveError::SlugTaken(_))
        ));
        // The refused save left nothing behind.
        assert_eq!(t.db.revisions(id).await.unwrap().len(), 1);
    }

    async fn review_publish_and_unpublish(t: &TestDb) {
        let writer = staff(&t.db, "writer@clinic.example", Role::Writer).await;
        let reviewer = staff(&t.db, "reviewer@clinic.example", Role::Reviewer).await;
        let author = Author { name: reviewer.name.clone(), credentials: "MD".into() };
        let (today, due) = (day("2026-11-27"), day("2027-05-27"));
        let approval = Approval { interval_months: 6, ..Approval::default() };
        let (id, head) = create(&t.db, &draft("care", "Care."), writer.id).await;
        let version = t.db.content_version().await.unwrap();
        assert!(matches!(
            t.db.approve_and_publish(id, head, (reviewer.id, &author), today, &approval).await,
            Err(ReviewError::NotSubmitted)
        ));
        t.db.submit_for_review(id, head, writer.id).await.unwrap();
        assert!(matches!(
            t.db.approve_and_publish(id, head, (writer.id, &author), today, &approval).await,
            Err(ReviewError::OwnSubmission)
        ));
        assert!(matches!(
            t.db.approve_and_publish(id, head + 1, (reviewer.id, &author), today, &approval).await,
            Err(ReviewError::Stale)
        ));
        t.db.approve_and_publish(id, head, (reviewer.id, &author), today, &approval).await.unwrap();
        let published = t.db.content_version().await.unwrap();
        assert!(published > version);
        // What the publish touched is recorded with it: this article's pages, nothing else; a
        // range whose records are not all there is everything.
        let care = Changes::Articles(vec!["care".into()]);
        assert_eq!(t.db.content_changes(version, published).await.unwrap(), care);
        assert_eq!(t.db.content_changes(published - 20_000, published).await.unwrap(), Changes::Everything);
        let live = t.db.published_article("care").await.unwrap().unwrap();
        assert_eq!(live.body, "Care.");
        let review = live.review.expect("a clinician reviewed it");
        assert_eq!((review.on, review.next_due), (today, due));
        assert!(review.by.contains(&reviewer.name));
        // A newer draft does not change what patients read until it is published, so the
        // version of what they read stays (no stored page is dropped).
        let version = t.db.content_version().await.unwrap();
        t.db.save_revision(id, head, &draft("care", "Newer."), writer.id, "").await.unwrap();
        assert_eq!(t.db.published_article("care").await.unwrap().unwrap().body, "Care.");
        assert_eq!(t.db.content_version().await.unwrap(), version);
        let dashboard = t.db.dashboard(1).await.unwrap().articles;
        assert!(dashboard[0].state.live && dashboard[0].state.unpublished_changes);
        let version = t.db.content_version().await.unwrap();
        t.db.unpublish(id).await.unwrap();
        let unpublished = t.db.content_version().await.unwrap();
        assert_eq!(unpublished, version + 1);
        assert_eq!(t.db.content_changes(version, unpublished).await.unwrap(), care);
        assert!(t.db.published_article("care").await.unwrap().is_none());
        assert!(matches!(t.db.unpublish(id).await, Err(ReviewError::NotPublished)));
        assert!(matches!(t.db.unpublish(id + 1000).await, Err(ReviewError::NotFound(_))));
    }

    async fn a_save_withdraws_a_pending_review(t: &TestDb) {
        let writer = staff(&t.db, "writer@clinic.example", Role::Writer).await;
        let reviewer = staff(&t.db, "reviewer@clinic.example", Role::Reviewer).await;
        let author = Author { name: reviewer.name.clone(), credentials: "MD".into() };
        let (id, head) = create(&t.db, &draft("wait", "One."), writer.id).await;
        t.db.submit_for_review(id, head, writer.id).await.unwrap();
        let newer = t.db.save_revision(id, head, &draft("wait", "Two."), writer.id, "").await.unwrap();
        let result = t
            .db
            .approve_and_publish(id, newer, (reviewer.id, &author), day("2026-11-27"), &Approval::default())
            .await;
        assert!(matches!(result, Err(ReviewError::NotSubmitted)), "{result:?}");
        assert!(!t.db.editable_article(id).await.unwrap().unwrap().state.in_review);
    }

    async fn the_content_version_sees_changes_made_through_another_connection(t: &TestDb) {
        // As another instance (or process) would: its own pool on the same database.
        let other = Db::connect(&t.url).await.unwrap();
        let before = t.db.content_version().await.unwrap();
        other
            .insert_article(&article_file("elsewhere", "Text."), ArticleStatus::Published)
            .await
            .unwrap();
        let after = t.db.content_version().await.unwrap();
        assert!(after > before, "{before} then {after}");
        other.unpublish(other.dashboard(1).await.unwrap().articles[0].id).await.unwrap();
        assert!(t.db.content_version().await.unwrap() > after);
    }

    async fn staff_accounts(t: &TestDb) {
        assert!(!t.db.has_active_admin().await.unwrap());
        let admin = staff(&t.db, "admin@clinic.example", Role::Admin).await;
        assert!(t.db.has_active_admin().await.unwrap());
        let taken = t
            .db
            .add_staff(&NewStaff {
                email: "admin@clinic.example",
                name: "Again",
                role: Role::Writer,
                credentials: "",
                password_hash: "x",
            })
            .await;
        assert!(matches!(taken, Err(AddStaffError::EmailTaken(_))), "{taken:?}");
        let writer = staff(&t.db, "writer@clinic.example", Role::Writer).await;
        let (found, hash, generation) =
            t.db.staff_with_hash("writer@clinic.example").await.unwrap().unwrap();
        assert_eq!((found, hash.as_str(), generation), (writer.clone(), "hash-of-a-password", 0));
        t.db.set_staff_role(writer.id, Role::Reviewer).await.unwrap();
        assert_eq!(t.db.staff_by_id(writer.id).await.unwrap().unwrap().role, Role::Reviewer);
        t.db.set_staff_active(admin.id, false).await.unwrap();
        assert!(!t.db.has_active_admin().await.unwrap());
        let everyone = t.db.staff().await.unwrap();
        assert_eq!(everyone.iter().map(|s| s.active).collect::<Vec<_>>(), [true, false]);
        assert!(t.db.staff_by_email("nobody@clinic.example").await.unwrap().is_none());
    }

    async fn sessions_live_and_end_in_the_database(t: &TestDb) {
        let member = staff(&t.db, "writer@clinic.example", Role::Writer).await;
        for token in ["a", "b", "c"] {
            assert!(t.db.create_session(token, member.id, 1_000, Some(1_000), 0).await.unwrap());
        }
        let stored = t.db.session("a").await.unwrap().unwrap();
        assert_eq!((stored.staff.id, stored.created_at, stored.last_seen_at), (member.id, 1_000, 1_000));
        t.db.touch_session("a", 2_000).await.unwrap();
        assert_eq!(t.db.session("a").await.unwrap().unwrap().last_seen_at, 2_000);
        // Idle since before 1,500: b and c go, a stays.
        t.db.delete_expired_sessions(1_500, 0).await.unwrap();
        assert!(t.db.session("b").await.unwrap().is_none());
        assert!(t.db.create_session("d", member.id, 3_000, Some(3_000), 0).await.unwrap());
        assert!(t.db.session("d").await.unwrap().unwrap().current_password);
        // A password change ends every session but the one kept, and counts the password up.
        assert_eq!(t.db.set_staff_password(member.id, "new-hash", Some("d")).await.unwrap(), 1);
        assert!(t.db.session("a").await.unwrap().is_none());
        assert!(t.db.session("d").await.unwrap().unwrap().current_password);
        // A sign-in that checked the old password stores nothing.
        assert!(!t.db.create_session("late", member.id, 3_000, None, 0).await.unwrap());
        assert!(t.db.session("late").await.unwrap().is_none());
        assert_eq!(t.db.set_staff_password(member.id, "newer-hash", None).await.unwrap(), 2);
        assert!(t.db.session("d").await.unwrap().is_none());
        // A half session is made whole once, and only while its password is the account's.
        assert!(t.db.create_session("half", member.id, 3_000, None, 2).await.unwrap());
        assert!(t.db.complete_session("half", "whole", member.id, 3_001).await.unwrap());
        assert!(!t.db.complete_session("half", "again", member.id, 3_002).await.unwrap());
        assert_eq!(t.db.session("whole").await.unwrap().unwrap().second_factor_at, Some(3_001));
        // A half session made whole is the account's whole session; a whole one cannot be
        // completed again, nor another account's half session.
        assert!(t.db.create_session("half2", member.id, 3_000, None, 2).await.unwrap());
        assert!(!t.db.complete_session("whole", "x", member.id, 3_001).await.unwrap());
        assert!(!t.db.complete_session("half2", "x", member.id + 1, 3_001).await.unwrap());
        assert!(t.db.session("half2").await.unwrap().is_some());
        assert_eq!(t.db.set_staff_password(member.id, "newest-hash", None).await.unwrap(), 3);
        assert!(!t.db.complete_session("half2", "whole2", member.id, 3_001).await.unwrap());
        assert!(t.db.session("whole2").await.unwrap().is_none());
        assert!(t.db.create_session("e", member.id, 3_000, Some(3_000), 3).await.unwrap());
        t.db.delete_session("e").await.unwrap();
        assert!(t.db.session("e").await.unwrap().is_none());
        assert!(t.db.create_session("f", member.id, 3_000, Some(3_000), 3).await.unwrap());
        t.db.set_staff_active(member.id, false).await.unwrap();
        assert!(t.db.session("f").await.unwrap().is_none());
    }

    async fn a_setup_link_works_once_and_expires(t: &TestDb) {
        t.db.create_setup_token("link", 5_000).await.unwrap();
        assert!(t.db.setup_token_valid("link", 4_999).await.unwrap());
        assert!(!t.db.setup_token_valid("link", 5_000).await.unwrap());
        assert!(t.db.use_setup_token("link", 4_000).await.unwrap());
        assert!(!t.db.use_setup_token("link", 4_001).await.unwrap());
        assert!(!t.db.setup_token_valid("link", 4_002).await.unwrap());
    }

    async fn the_audit_log_is_append_only(t: &TestDb) {
        let admin = staff(&t.db, "admin@clinic.example", Role::Admin).await;
        let (signed_in, published) = (AuditAction::SignedInWithApp, AuditAction::ApprovedAndPublished);
        for action in [signed_in.clone(), published.clone()] {
            t.db.audit(&AuditRecord {
                staff_id: Some(admin.id),
                actor: &admin.email,
                action,
                subject: "article 1",
                address: "192.0.2.1",
            })
            .await
            .unwrap();
        }
        let entries = t.db.audit_entries(10, 0).await.unwrap();
        let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, [published.to_string(), signed_in.to_string()]);
        assert_eq!(t.db.audit_entries(10, 1).await.unwrap().len(), 1);
        for statement in [
            "UPDATE audit_log SET action = 'nothing'",
            "DELETE FROM audit_log",
        ] {
            let refused = t.execute(statement).await;
            let message = format!("{refused:?}");
            assert!(message.contains("append-only"), "{statement}: {message}");
        }
        assert_eq!(t.db.audit_entries(10, 0).await.unwrap().len(), 2);
    }

    async fn a_snapshot_restores_into_an_empty_database_only(t: &TestDb) {
        load_seed_once(&t.db).await.unwrap();
        let writer = staff(&t.db, "writer@clinic.example", Role::Writer).await;
        let (id, head) = create(&t.db, &draft("moved", "One."), writer.id).await;
        t.db.save_revision(id, head, &draft("moved", "Two.\n\n  indented\n"), writer.id, "n").await.unwrap();
        t.db.audit(&AuditRecord { staff_id: Some(writer.id), actor: &writer.email, action: AuditAction::SavedDraft, subject: "", address: "" })
            .await
            .unwrap();
        let snapshot = t.db.snapshot().await.unwrap();
        assert_eq!(snapshot.articles.len(), 2);
        assert_eq!(snapshot.articles[1].revisions.len(), 2);
        assert!(matches!(t.db.restore(&snapshot).await, Err(RestoreError::NotEmpty(_))));

        let copy = TestDb::sqlite().await;
        copy.db.restore(&snapshot).await.unwrap();
        assert_eq!(copy.db.snapshot().await.unwrap(), snapshot);
        // The restored database goes on working: new rows get new ids.
        let next = create(&copy.db, &draft("after", "x"), writer.id).await;
        assert!(next.0 > id);
        assert_eq!(copy.db.published_article("ketamine-and-brain-plasticity").await.unwrap(),
                   t.db.published_article("ketamine-and-brain-plasticity").await.unwrap());
    }
}

/// `create_article` for tests that only care that it worked: (article id, revision id).
pub(crate) async fn create(db: &Db, draft: &ArticleDraft, staff_id: i64) -> (i64, i64) {
    db.create_article(draft, staff_id, "Created")
        .await
        .expect("create article")
}
