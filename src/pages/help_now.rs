//! `/help-now`: how to reach a person right now. Plain HTML, no data to load, so it shows even
//! when the database is down.

use crate::components::page_meta::PageMeta;
use leptos::prelude::*;

#[component]
pub fn HelpNowPage() -> impl IntoView {
    view! {
        <PageMeta
            title="Get help now"
            description="If you are in crisis or thinking about suicide, call or text 988 any time. In an emergency, call 911."
            path="/help-now"
        />
        <article class="help-now">
            <h1>"Get help now"</h1>
            <p class="lead">
                "If you are struggling, or thinking about suicide, you do not have to face it alone. "
                "People are ready to listen and help, right now."
            </p>

            <section class="help-option help-option--emergency" aria-labelledby="emergency">
                <h2 id="emergency">"In an emergency"</h2>
                <p>"If you or someone else is in immediate danger, call 911 or go to the nearest emergency room."</p>
                <p><a class="crisis-action crisis-action--emergency" href="tel:911">"Call 911"</a></p>
            </section>

            <section class="help-option" aria-labelledby="lifeline">
                <h2 id="lifeline">"988 Suicide & Crisis Lifeline"</h2>
                <p>"Free and confidential, 24 hours a day, every day, across the United States. You do not need to be suicidal to reach out."</p>
                <ul class="crisis-actions">
                    <li><a class="crisis-action" href="tel:988">"Call 988"</a></li>
                    <li><a class="crisis-action" href="sms:988">"Text 988"</a></li>
                    <li><a class="crisis-action" href="https://988lifeline.org/chat/">"Chat at 988lifeline.org"</a></li>
                </ul>
                <ul>
                    <li>
                        "Veterans and service members: call 988 and press 1, or "
                        <a href="sms:838255">"text 838255"</a>
                        "."
                    </li>
                    <li>"En español: llame al 988 y oprima 2."</li>
                    <li>"Deaf or hard of hearing: use your preferred relay service, or dial 711 then 988."</li>
                </ul>
            </section>

            <section class="help-option" aria-labelledby="text-line">
                <h2 id="text-line">"Crisis Text Line"</h2>
                <p>"Text HOME to 741741 to reach a trained crisis counselor, any time."</p>
                <p><a class="crisis-action" href="sms:741741?body=HOME">"Text HOME to 741741"</a></p>
            </section>

            <section class="help-option" aria-labelledby="care-team">
                <h2 id="care-team">"Your care team"</h2>
                <p>
                    "If you are a patient of the clinic, you can also call your care team during "
                    "opening hours. They want to hear from you, including about difficult thoughts."
                </p>
            </section>
        </article>
    }
}
