//! The admin's side of staff work: the audit log, and the rules that keep an admin from
//! locking the clinic out.

use crate::support;

use plasticity::content::staff::Role;
use support::editing::create;
use support::{PASSWORD, TestApp};

#[tokio::test]
async fn the_audit_log_records_who_did_what_from_where_and_cannot_be_changed() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    app.post_form(
        "/admin/login",
        None,
        &[
            ("email", "admin@clinic.example"),
            ("password", "wrong wrong wrong"),
        ],
    )
    .await;
    create(&app, &admin, "ketamine-and-sleep", "Text.").await;
    let added = app
        .post_form(
            "/admin/staff",
            Some(&admin),
            &[
                ("intent", "add"),
                ("name", "Kim Writer"),
                ("email", "kim@clinic.example"),
                ("role", "writer"),
            ],
        )
        .await;
    assert_eq!(added.status(), 200, "the invitation link, shown once");
    let kim = app
        .db
        .staff_by_email("kim@clinic.example")
        .await
        .unwrap()
        .unwrap();
    let role = app
        .post_form(
            "/admin/staff",
            Some(&admin),
            &[
                ("intent", "role"),
                ("staff_id", &kim.id.to_string()),
                ("role", "reviewer"),
            ],
        )
        .await;
    assert_eq!(role.status(), 303);
    app.post_form("/admin/logout", Some(&admin), &[]).await;

    let entries = app.db.audit_entries(100, 0).await.unwrap();
    let actions: Vec<&str> = entries.iter().rev().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "password accepted (second factor next)",
            "enrolled an authenticator app (second factor)",
            "sign-in failed",
            "created an article",
            "added a writer account",
            "made an invitation link (shown once; works once, for 72 hours)",
            "changed role from writer to reviewer",
            "signed out"
        ]
    );
    assert!(entries.iter().all(|e| e.address == "127.0.0.1"));
    assert!(entries.iter().all(|e| e.actor == "admin@clinic.example"));

    let sql = app.sql().await;
    let update = sqlx::query("UPDATE audit_log SET action = 'nothing' WHERE id = ?")
        .bind(entries[0].id)
        .execute(&sql)
        .await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = sqlx::query("DELETE FROM audit_log").execute(&sql).await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    assert_eq!(app.db.audit_entries(100, 0).await.unwrap(), entries);

    let admin = app.sign_in("admin@clinic.example", PASSWORD).await;
    let page = app.get_as("/admin/audit", Some(&admin)).await;
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("changed role from writer to reviewer")
    );
}

#[tokio::test]
async fn admins_cannot_lock_themselves_out() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    let me = app
        .db
        .staff_by_email("admin@clinic.example")
        .await
        .unwrap()
        .unwrap();
    let id = me.id.to_string();
    let demote = app
        .post_form(
            "/admin/staff",
            Some(&admin),
            &[("intent", "role"), ("staff_id", &id), ("role", "writer")],
        )
        .await;
    assert_eq!(demote.status(), 403);
    let deactivate = app
        .post_form(
            "/admin/staff",
            Some(&admin),
            &[("intent", "deactivate"), ("staff_id", &id)],
        )
        .await;
    assert_eq!(deactivate.status(), 403);
    assert_eq!(app.db.staff_by_id(me.id).await.unwrap().unwrap(), me);
}

/// Issue 30, item 7: your own row on the Staff page offers nothing the server would refuse
/// (deactivating yourself, resetting your own second factor), only the way to your account page;
/// everyone else's row keeps its buttons.
#[tokio::test]
async fn your_own_row_offers_only_your_account_page() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    app.add_staff("kim@clinic.example", "Kim", Role::Writer)
        .await;
    let page = app.get_as("/admin/staff", Some(&admin)).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Deactivate Kim"), "{html}");
    assert!(!html.contains("Deactivate Test admin"), "{html}");
    assert!(
        !html.contains("Reset second factor of Test admin"),
        "{html}"
    );
    assert!(html.contains("This is you"));
}

#[tokio::test]
async fn deactivating_and_resetting_a_second_factor_ask_first_and_do_nothing_until_confirmed() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    let kim = app
        .add_staff("kim@clinic.example", "Kim Writer", Role::Writer)
        .await;
    let kims = app.sign_in("kim@clinic.example", PASSWORD).await;
    let id = kim.id.to_string();
    for (intent, question, button) in [
        (
            "deactivate",
            "Deactivate Kim Writer?",
            "Yes, deactivate Kim Writer",
        ),
        (
            "reset_two_factor",
            "Reset Kim Writer\u{2019}s second factor?",
            "Yes, reset Kim Writer\u{2019}s second factor",
        ),
    ] {
        let asked = app
            .post_form(
                "/admin/staff",
                Some(&admin),
                &[("intent", intent), ("staff_id", &id)],
            )
            .await;
        assert_eq!(asked.status(), 200);
        let html = asked.text().await.unwrap();
        assert!(html.contains(question) && html.contains(button), "{html}");
        assert!(html.contains("name=\"confirmed\" value=\"yes\""));
        assert_eq!(
            app.get_as("/admin", Some(&kims)).await.status(),
            200,
            "nothing done yet"
        );
    }
    assert_eq!(app.db.staff_by_id(kim.id).await.unwrap().unwrap(), kim);
    let done = app
        .post_form(
            "/admin/staff",
            Some(&admin),
            &[
                ("intent", "deactivate"),
                ("staff_id", &id),
                ("confirmed", "yes"),
            ],
        )
        .await;
    assert_eq!(done.status(), 303);
    assert!(!app.db.staff_by_id(kim.id).await.unwrap().unwrap().active);
}
