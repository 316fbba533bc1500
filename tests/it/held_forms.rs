//! Nothing typed is lost when a session ends: a staff form sent without a live session is held
//! by the sign-in page, carried through both factors, and sent again with every character kept
//! (and never its secrets).

use crate::support;

use plasticity::content::staff::Role;
use support::two_factor::factor;
use support::{PASSWORD, TestApp, location, session_cookie};

/// The value of the first `<input ... name="NAME" value="...">` in `html`, unescaped.
fn input_value(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let tag_start = html[..at].rfind('<')?;
    let tag_end = at + html[at..].find('>')?;
    let tag = &html[tag_start..tag_end];
    let value = tag.split(" value=\"").nth(1)?.split('"').next()?;
    Some(unescape(value))
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Every hidden field of the form `id` in `html`, in order.
fn form_fields(html: &str, id: &str) -> Vec<(String, String)> {
    let start = html.find(&format!("id=\"{id}\"")).expect("the form");
    let form = &html[start..start + html[start..].find("</form>").expect("its end")];
    form.split("<input")
        .skip(1)
        .map(|input| {
            let tag = &input[..input.find('>').unwrap()];
            let attr = |name: &str| {
                let value = tag
                    .split(&format!(" {name}=\""))
                    .nth(1)?
                    .split('"')
                    .next()?;
                Some(unescape(value))
            };
            (attr("name").unwrap(), attr("value").unwrap_or_default())
        })
        .collect()
}

async fn end_every_session(app: &TestApp) {
    sqlx::query("UPDATE sessions SET last_seen_at = ?")
        .bind(chrono::Utc::now().timestamp() - 31 * 60)
        .execute(&app.sql().await)
        .await
        .unwrap();
}

#[tokio::test]
async fn an_edit_sent_after_the_session_ended_is_held_through_sign_in_and_sent_again_whole() {
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    let before = app.db.editable_article(1).await.unwrap().unwrap();
    end_every_session(&app).await;

    let body = "Changed \"quoted\" it's </textarea><script>alert(1)</script> & ünïcødé 🧠\r\n\r\nA second paragraph.";
    let base = before.head_revision_id.to_string();
    let typed: Vec<(&str, &str)> = vec![
        ("base_revision", &base),
        ("title", "A title with <b>markup</b> & \"quotes\""),
        ("slug", &before.draft.slug),
        ("summary", &before.draft.summary),
        ("body", body),
        ("author_name", &before.draft.author.name),
        ("note", "Typed while the session ended"),
        ("intent", "save"),
    ];
    let held = app
        .post_form("/admin/articles/1", Some(&writer), &typed)
        .await;
    assert_eq!(held.status(), 401);
    let html = held.text().await.unwrap();
    assert!(
        html.contains("Sign in again to send your changes"),
        "{html}"
    );
    assert!(html.contains("action=\"/admin/login\""));
    assert!(
        !html.contains("<script>alert(1)"),
        "the held text broke out"
    );
    assert!(!html.contains("<b>markup</b>"), "the held text broke out");
    let carried = input_value(&html, "held").expect("the held form");
    assert_eq!(input_value(&html, "next").unwrap(), "/admin/articles/1");

    // A wrong password: the sign-in page again, still holding it.
    let wrong = app
        .post_form(
            "/admin/login",
            None,
            &[
                ("email", "writer@clinic.example"),
                ("password", "not the password"),
                ("next", "/admin/articles/1"),
                ("held", &carried),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 401);
    let html = wrong.text().await.unwrap();
    assert_eq!(
        input_value(&html, "held").as_deref(),
        Some(carried.as_str())
    );

    // The password: the second-factor step, in the same answer, still holding it.
    let step = app
        .post_form(
            "/admin/login",
            None,
            &[
                ("email", "writer@clinic.example"),
                ("password", PASSWORD),
                ("next", "/admin/articles/1"),
                ("held", &carried),
            ],
        )
        .await;
    assert_eq!(step.status(), 200);
    let half = session_cookie(&step).expect("a half session");
    let html = step.text().await.unwrap();
    assert!(html.contains("Enter your sign-in code"), "{html}");
    assert_eq!(
        input_value(&html, "held").as_deref(),
        Some(carried.as_str())
    );
    assert_eq!(input_value(&html, "next").unwrap(), "/admin/articles/1");

    // The second factor: "Send your changes", every field as typed.
    let known = factor(&app.base_url, "writer@clinic.example").unwrap();
    let code = known.recovery_codes.last().unwrap().clone();
    let whole_step = app
        .post_form(
            "/admin/two-factor",
            Some(&half),
            &[
                ("intent", "recovery"),
                ("recovery_code", &code),
                ("next", "/admin/articles/1"),
                ("held", &carried),
            ],
        )
        .await;
    assert_eq!(whole_step.status(), 200);
    let whole = session_cookie(&whole_step).expect("a whole session");
    let html = whole_step.text().await.unwrap();
    assert!(html.contains("You are signed in again"), "{html}");
    assert!(html.contains("action=\"/admin/articles/1\""));
    assert!(
        !html.contains("<script>alert(1)"),
        "the held text broke out"
    );
    let again = form_fields(&html, "send-again");
    let expected: Vec<(String, String)> = typed
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    assert_eq!(again, expected, "every field, every character");
    assert_eq!(
        app.db.revisions(1).await.unwrap().len(),
        1,
        "nothing sent yet"
    );

    let fields: Vec<(&str, &str)> = again
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let sent = app
        .post_form("/admin/articles/1", Some(&whole), &fields)
        .await;
    assert_eq!(sent.status(), 303);
    assert!(
        location(&sent).contains("done=saved"),
        "{}",
        location(&sent)
    );
    let saved = app.db.editable_article(1).await.unwrap().unwrap();
    assert_eq!(saved.draft.body, body.replace("\r\n", "\n"));
    assert_eq!(saved.draft.title, "A title with <b>markup</b> & \"quotes\"");
}

#[tokio::test]
async fn a_held_form_never_carries_a_password_or_a_code() {
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    end_every_session(&app).await;
    let held = app
        .post_form(
            "/admin/account",
            Some(&writer),
            &[
                ("current", "my-current-secret-1"),
                ("password", "my-new-secret-password-2"),
                ("confirm", "my-new-secret-password-2"),
                ("name", "Kept name"),
            ],
        )
        .await;
    assert_eq!(held.status(), 401);
    let html = held.text().await.unwrap();
    assert!(!html.contains("secret"), "a secret was echoed: {html}");
    let carried = input_value(&html, "held").unwrap();
    assert_eq!(carried, "name=Kept+name");
}

#[tokio::test]
async fn a_held_form_goes_only_to_an_admin_page() {
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    let half = app.half_signed_in("writer@clinic.example", PASSWORD).await;
    drop(writer);
    let known = factor(&app.base_url, "writer@clinic.example").unwrap();
    let code = known.recovery_codes[known.recovery_codes.len() - 2].clone();
    let answer = app
        .post_form(
            "/admin/two-factor",
            Some(&half),
            &[
                ("intent", "recovery"),
                ("recovery_code", &code),
                ("next", "https://evil.example/steal"),
                ("held", "title=x"),
            ],
        )
        .await;
    assert_eq!(answer.status(), 200);
    let html = answer.text().await.unwrap();
    assert!(html.contains("action=\"/admin\""), "{html}");
    assert!(!html.contains("evil.example"));
}
