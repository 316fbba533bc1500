//! `DIR/topics.toml`: the topics in an export.

use super::{TransferError, read_toml, write_toml};
use crate::server::db::TopicRecord;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Serialize, Deserialize)]
struct TopicsFile {
    #[serde(default)]
    topic: Vec<TopicRecord>,
}

pub fn write_topics(dir: &Path, topics: &[TopicRecord]) -> Result<(), TransferError> {
    write_toml(
        &dir.join("topics.toml"),
        &TopicsFile {
            topic: topics.to_vec(),
        },
    )
}

/// The export's topics, each held to the staff form's own checks (an export is input like any
/// other); `None` when the export has none (made before topics existed).
pub fn read_topics(dir: &Path) -> Result<Option<Vec<TopicRecord>>, TransferError> {
    use crate::content::topics::{MAX_TOPICS, TopicDraft};
    let path = dir.join("topics.toml");
    if !path.exists() {
        return Ok(None);
    }
    let file: TopicsFile = read_toml(&path)?;
    let invalid = |message: String| TransferError::Invalid {
        path: path.display().to_string(),
        message,
    };
    if file.topic.len() > MAX_TOPICS {
        return Err(invalid(format!("it holds over {MAX_TOPICS} topics")));
    }
    for topic in &file.topic {
        let draft = TopicDraft {
            name: topic.name.clone(),
            slug: topic.slug.clone(),
            description: topic.description.clone(),
        };
        if let Err(errors) = draft.check() {
            let problems: Vec<String> = errors.into_values().collect();
            return Err(invalid(format!(
                "topic `{}`: {}",
                topic.name,
                problems.join(" ")
            )));
        }
    }
    Ok(Some(file.topic))
}
