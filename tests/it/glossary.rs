//! The glossary: staff keep its terms (reviewers and admins; `admin_access.rs` proves the
//! refusals), each change audited and refused when stale; the first use of a term in an article
//! links to its definition, with the article's words unchanged; `/glossary` lists them A-Z.

use crate::support;

use crate::transfer::{exported, import_refused, plasticity, succeeded};
use plasticity::content::glossary::{DEFINITION_GRADE, MAX_TERMS, TermDraft, definition_grade};
use plasticity::content::staff::Role;
use plasticity::server::db::GlossaryError;
use support::{TestApp, TestDb, add_staff, location};

fn draft(term: &str, definition: &str) -> TermDraft {
    TermDraft {
        term: term.into(),
        definition: definition.into(),
        also: String::new(),
    }
}

on_both_backends! {
    async fn the_seeded_terms_read_at_grade_six_or_below(t: &TestDb) {
        let terms = t.db.glossary().await.unwrap();
        let names: Vec<&str> = terms.iter().map(|term| term.term.as_str()).collect();
        for seeded in ["synaptogenesis", "synapse", "neuron", "NMDA receptor", "BDNF",
                       "neurotransmitter", "dissociation"] {
            assert!(names.contains(&seeded), "{seeded} in {names:?}");
        }
        // A-Z, whatever the case.
        let mut sorted = names.clone();
        sorted.sort_by_key(|name| name.to_lowercase());
        assert_eq!(names, sorted);
        for term in &terms {
            let grade = definition_grade(&term.definition).unwrap();
            assert!(grade <= DEFINITION_GRADE, "{}: grade {grade:.1}", term.term);
        }
    }

    async fn a_stale_save_or_removal_is_refused_with_what_is_saved_now(t: &TestDb) {
        let staff = add_staff(&t.db, "reviewer@clinic.example", "Dr R", Role::Reviewer).await;
        let id = t.db.add_glossary_term(&draft("amygdala", "A part of the brain."), staff.id)
            .await
            .unwrap();
        t.db.save_glossary_term(id, 1, &draft("amygdala", "First save."), staff.id)
            .await
            .unwrap();
        match t.db.save_glossary_term(id, 1, &draft("amygdala", "Second."), staff.id).await {
            Err(GlossaryError::Stale(now)) => {
                assert_eq!((now.definition.as_str(), now.version), ("First save.", 2))
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(t.db.remove_glossary_term(id, 1).await, Err(GlossaryError::Stale(_))));
        assert!(matches!(
            t.db.add_glossary_term(&draft("Amygdala!", "Again."), staff.id).await,
            Err(GlossaryError::Taken(other)) if other == "amygdala"
        ));
        assert_eq!(t.db.remove_glossary_term(id, 2).await.unwrap(), "amygdala");
        assert!(matches!(t.db.remove_glossary_term(id, 2).await, Err(GlossaryError::Gone)));
    }

    async fn the_cap_holds_when_terms_are_added_at_once(t: &TestDb) {
        let staff = add_staff(&t.db, "reviewer@clinic.example", "Dr R", Role::Reviewer).await;
        let seeded = t.db.glossary().await.unwrap().len();
        // The glossary filled to one place short of the cap in one statement (a transaction
        // per term made this test a load on the suite beside it).
        let filler = MAX_TERMS - 1 - seeded;
        let filled = t
            .execute(&format!(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {filler})
                 INSERT INTO glossary_terms (term, anchor, definition, updated_at)
                 SELECT 'term ' || i, 'term-' || i, 'A word.', CURRENT_TIMESTAMP FROM n"
            ))
            .await
            .unwrap();
        assert_eq!(filled as usize, filler);
        // One place left, eight adds at once: exactly one gets it.
        let adds = (0..8).map(|n| {
            let db = t.db.clone();
            tokio::spawn(async move {
                db.add_glossary_term(&draft(&format!("last {n}"), "A word."), staff.id).await
            })
        });
        let mut added = 0;
        for add in adds.collect::<Vec<_>>() {
            match add.await.unwrap() {
                Ok(_) => added += 1,
                Err(GlossaryError::Full) => {}
                Err(other) => panic!("{other:?}"),
            }
        }
        assert_eq!(added, 1);
        assert_eq!(t.db.glossary().await.unwrap().len(), MAX_TERMS);
    }
}

#[tokio::test]
async fn the_seed_article_links_its_first_use_of_each_term_and_keeps_its_words() {
    let app = TestApp::spawn().await;
    let page = app
        .html_as("/articles/ketamine-and-brain-plasticity", None)
        .await;
    // "neurons" first appears inside a quotation: still the words as written.
    assert!(
        page.contains(
            r#"</a> of <a class="term" href="/glossary#neuron" rel="noopener noreferrer"><dfn>neurons</dfn></a> in limbic"#
        ),
        "{page}"
    );
    assert_eq!(
        page.matches("href=\"/glossary#neuron\"").count(),
        1,
        "first use only"
    );
    assert!(page.contains(r#"<dfn>synaptogenesis</dfn>"#), "{page}");
    assert!(page.contains(r#"href="/glossary#ssri""#), "{page}");

    let glossary = app.html_as("/glossary", None).await;
    assert!(
        glossary.contains(r#"<div id="neuron" class="glossary-entry"><dt><dfn>neuron</dfn></dt>"#),
        "{glossary}"
    );
    assert!(
        glossary.contains(r##"<a href="#letter-s">S</a>"##),
        "{glossary}"
    );
}

#[tokio::test]
async fn a_reviewer_adds_a_term_and_the_article_links_it_next() {
    let app = TestApp::spawn().await;
    let reviewer = app.signed_in(Role::Reviewer).await;
    let article = "/articles/ketamine-and-brain-plasticity";
    // Stored in the page cache first, so the link must come from the change dropping it.
    assert!(
        !app.html_as(article, None)
            .await
            .contains("/glossary#limbic")
    );

    let markup = "A part of the brain </textarea><script>alert(1)</script> & feelings.";
    let added = app
        .post_form(
            "/admin/glossary",
            Some(&reviewer),
            &[
                ("intent", "add"),
                ("term", "limbic"),
                ("definition", markup),
                ("also", "limbic system\n"),
            ],
        )
        .await;
    assert_eq!(added.status(), 303);
    assert_eq!(location(&added), "/admin/glossary?done=term-added");
    assert!(app.html_as(article, None).await.contains(
        r#"<a class="term" href="/glossary#limbic" rel="noopener noreferrer"><dfn>limbic</dfn></a> brain regions"#
    ));
    // The definition is text everywhere it is shown.
    let escaped = "A part of the brain &lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; feelings.";
    assert!(app.html_as("/glossary", None).await.contains(escaped));
    let admin = app.html_as("/admin/glossary", Some(&reviewer)).await;
    assert!(admin.contains(escaped), "{admin}");
    let entry = app.db.audit_entries(5, 0).await.unwrap();
    assert!(
        entry
            .iter()
            .any(|e| e.action == "added a glossary term" && e.subject == "limbic")
    );

    // A term that is already there, and a blank definition: said by field, text kept.
    let twice = app
        .post_form(
            "/admin/glossary",
            Some(&reviewer),
            &[("intent", "add"), ("term", "Limbic"), ("definition", "")],
        )
        .await;
    assert_eq!(twice.status(), 422);
    let said = twice.text().await.unwrap();
    assert!(said.contains("Enter a definition in plain words"), "{said}");
    assert!(said.contains(r#"value="Limbic""#), "{said}");
}

#[tokio::test]
async fn two_people_saving_one_term_find_out() {
    let app = TestApp::spawn().await;
    let reviewer = app.signed_in(Role::Reviewer).await;
    let admin = app.signed_in(Role::Admin).await;
    let atrophy = app.db.glossary().await.unwrap()[0].clone();
    let path = format!("/admin/glossary/{}", atrophy.id);
    let save = |definition: &'static str| {
        vec![
            ("intent", "save"),
            ("version", "1"),
            ("term", "atrophy"),
            ("definition", definition),
        ]
    };
    let first = app
        .post_form(&path, Some(&reviewer), &save("Shrinking of a body part."))
        .await;
    assert_eq!(first.status(), 303);
    let second = app
        .post_form(&path, Some(&admin), &save("Wasting away of a body part."))
        .await;
    assert_eq!(second.status(), 409);
    let page = second.text().await.unwrap();
    assert!(page.contains("Someone else changed this term"), "{page}");
    assert!(page.contains("What is saved now"));
    assert!(
        page.contains("<dd>Shrinking of a body part.</dd>"),
        "{page}"
    );
    assert!(
        page.contains("Wasting away of a body part.</textarea>"),
        "typed text kept"
    );
    assert!(
        page.contains(r#"name="version" value="2""#),
        "the next save is based on theirs"
    );

    // A removal from the version before is refused, the term shown as it is now.
    let stale = app
        .post_form(
            &path,
            Some(&admin),
            &[
                ("intent", "remove"),
                ("version", "1"),
                ("term", "atrophy"),
                ("confirmed", "yes"),
            ],
        )
        .await;
    assert_eq!(stale.status(), 409);
    let page = stale.text().await.unwrap();
    assert!(page.contains("so it was not removed"), "{page}");
    assert!(
        page.contains("Shrinking of a body part.</textarea>"),
        "{page}"
    );

    // Removing asks first, then removes; the article stops linking it.
    let ask = app
        .post_form(
            &path,
            Some(&admin),
            &[("intent", "remove"), ("version", "2"), ("term", "atrophy")],
        )
        .await;
    assert_eq!(ask.status(), 200);
    assert!(
        ask.text()
            .await
            .unwrap()
            .contains("Remove \u{201c}atrophy\u{201d} from the glossary?")
    );
    assert_eq!(
        app.db
            .glossary_term(atrophy.id)
            .await
            .unwrap()
            .unwrap()
            .version,
        2
    );
    let removed = app
        .post_form(
            &path,
            Some(&admin),
            &[
                ("intent", "remove"),
                ("version", "2"),
                ("term", "atrophy"),
                ("confirmed", "yes"),
            ],
        )
        .await;
    assert_eq!(location(&removed), "/admin/glossary?done=term-removed");
    assert!(app.db.glossary_term(atrophy.id).await.unwrap().is_none());
    assert!(
        !app.html_as("/articles/ketamine-and-brain-plasticity", None)
            .await
            .contains("/glossary#atrophy")
    );
}

#[tokio::test]
async fn an_export_without_a_glossary_keeps_the_seeded_one_and_a_bad_term_is_refused() {
    let (_dir, out) = exported().await;
    let glossary = out.join("glossary.toml");
    let text = std::fs::read_to_string(&glossary).unwrap();
    std::fs::write(
        &glossary,
        text.replace("anchor = \"amygdala\"", "anchor = \"x\""),
    )
    .unwrap();
    let said = import_refused(&out);
    assert!(
        said.contains("has the anchor `x`, not `amygdala`"),
        "{said}"
    );

    std::fs::remove_file(&glossary).unwrap();
    // The search synonyms are held to the admin form's check too.
    let synonyms = out.join("synonyms.toml");
    let kept = std::fs::read_to_string(&synonyms).unwrap();
    std::fs::write(
        &synonyms,
        "list = \"a, b\\nlonely\"\nversion = 1\nupdated_at = \"2026-01-01T00:00:00Z\"\n",
    )
    .unwrap();
    let said = import_refused(&out);
    assert!(said.contains("Line 2 (\"lonely\") has one entry"), "{said}");
    std::fs::write(&synonyms, kept).unwrap();
    let target = TestDb::sqlite().await;
    succeeded(&plasticity(&target.url, &["import", out.to_str().unwrap()]));
    let terms = target.db.glossary().await.unwrap();
    assert!(terms.iter().any(|term| term.term == "synaptogenesis"));
}
