//! `plasticity user add|list|set-password|deactivate|reset-2fa`: staff accounts from the command line, so
//! a fresh install gets its first admin without any default password.

use crate::content::staff::{Role, StaffMember, normalise_email};
use crate::server::auth::password::{PasswordError, check_new_password, hash_password};
use crate::server::config::Config;
use crate::server::db::AuditAction;
use crate::server::db::{AddStaffError, Db, DbError, NewStaff};
use clap::Subcommand;
use std::io::{BufRead, IsTerminal};

#[derive(Subcommand, Debug, Clone)]
pub enum UserCommand {
    /// Add a member of staff.
    Add {
        #[arg(long)]
        email: String,
        /// Full name, as shown on articles they write or review.
        #[arg(long)]
        name: String,
        /// admin, reviewer or writer.
        #[arg(long)]
        role: Role,
        /// Post-nominal letters, e.g. "MD" (shown with a clinical review).
        #[arg(long, default_value = "")]
        credentials: String,
    },
    /// List every account (never the password hashes).
    List,
    /// Set a new password for an account.
    SetPassword {
        #[arg(long)]
        email: String,
    },
    /// Deactivate an account: it can no longer sign in. Its history stays.
    Deactivate {
        #[arg(long)]
        email: String,
    },
    /// Remove an account's second factor and recovery codes (a lost phone) and end its sessions:
    /// it sets up a new one at its next sign-in, which still needs its password. Recorded in the
    /// audit log.
    #[command(name = "reset-2fa")]
    ResetTwoFactor {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
    #[error("{0}")]
    Add(#[from] AddStaffError),
    #[error(transparent)]
    Hash(#[from] PasswordError),
    #[error("{0}")]
    Invalid(String),
    #[error("cannot read the password: {0}")]
    Read(#[from] std::io::Error),
}

pub async fn run(config: &Config, command: UserCommand) -> Result<(), UserError> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let result = match command {
        UserCommand::Add {
            email,
            name,
            role,
            credentials,
        } => add(&db, &email, &name, role, &credentials).await,
        UserCommand::List => list(&db).await,
        UserCommand::SetPassword { email } => set_password(&db, &email).await,
        UserCommand::Deactivate { email } => deactivate(&db, &email).await,
        UserCommand::ResetTwoFactor { email } => reset_two_factor(&db, &email).await,
    };
    db.close().await;
    result
}

async fn add(
    db: &Db,
    email: &str,
    name: &str,
    role: Role,
    credentials: &str,
) -> Result<(), UserError> {
    let email = normalise_email(email).map_err(UserError::Invalid)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(UserError::Invalid("the name must not be empty".into()));
    }
    let password = new_password(&[name, &email])?;
    let password_hash = hash_password(password).await?;
    let member = db
        .add_staff(&NewStaff {
            email: &email,
            name,
            role,
            credentials: credentials.trim(),
            password_hash: &password_hash,
        })
        .await?;
    println!(
        "added {} <{}> as {}",
        member.name, member.email, member.role
    );
    Ok(())
}

async fn list(db: &Db) -> Result<(), UserError> {
    let staff = db.staff().await?;
    if staff.is_empty() {
        println!(
            "no staff accounts yet: add the first admin with `plasticity user add --role admin …`"
        );
    }
    for member in staff {
        println!("{}", describe(&member));
    }
    Ok(())
}

async fn set_password(db: &Db, email: &str) -> Result<(), UserError> {
    let member = existing(db, email).await?;
    let password = new_password(&[&member.name, &member.email])?;
    db.set_staff_password(member.id, &hash_password(password).await?, None)
        .await?;
    println!("new password set for {}", member.email);
    Ok(())
}

async fn deactivate(db: &Db, email: &str) -> Result<(), UserError> {
    let member = existing(db, email).await?;
    db.set_staff_active(member.id, false).await?;
    println!("deactivated {}", member.email);
    Ok(())
}

async fn reset_two_factor(db: &Db, email: &str) -> Result<(), UserError> {
    let member = existing(db, email).await?;
    db.reset_second_factor(member.id).await?;
    db.audit(&crate::server::db::AuditRecord {
        staff_id: None,
        actor: "plasticity user reset-2fa (command line)",
        action: AuditAction::ResetSecondFactor,
        subject: &member.email,
        address: "",
    })
    .await?;
    println!(
        "second factor reset for {}: signed out everywhere; sets up a new one at the next sign-in",
        member.email
    );
    Ok(())
}

async fn existing(db: &Db, email: &str) -> Result<StaffMember, UserError> {
    let email = normalise_email(email).map_err(UserError::Invalid)?;
    db.staff_by_email(&email)
        .await?
        .ok_or_else(|| UserError::Invalid(format!("there is no account for {email}")))
}

fn describe(member: &StaffMember) -> String {
    let credentials = if member.credentials.is_empty() {
        String::new()
    } else {
        format!(", {}", member.credentials)
    };
    let state = if member.active { "" } else { "  (deactivated)" };
    format!(
        "{:<32} {:<8} {}{}{}",
        member.email,
        member.role.as_str(),
        member.name,
        credentials,
        state
    )
}

/// Reads a new password: twice from a hidden prompt on a terminal, or the first line of standard
/// input otherwise (for scripts). It is checked against the password rules before use.
fn new_password(personal: &[&str]) -> Result<String, UserError> {
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("New password: ")?;
        let second = rpassword::prompt_password("Same password again: ")?;
        if first != second {
            return Err(UserError::Invalid("the two passwords differ".into()));
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    check_new_password(&password, personal)
        .map_err(|problem| UserError::Invalid(problem.to_string()))?;
    Ok(password)
}
