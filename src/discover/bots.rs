//! `detect --json`'s `bots`: one entry per bot stack found, in one shape for every stack, so a
//! script can read LLOneBot and NapCat alike.

use std::path::PathBuf;

use serde::Serialize;

use super::{LlOneBot, NapCat, Source};
use crate::process::QqProcess;

#[derive(Debug, Clone, Serialize)]
pub struct BotAccount {
    pub uin: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BotProcess {
    pub pid: u32,
    pub main: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bot {
    /// `llonebot` or `napcat`.
    pub kind: &'static str,
    pub version: Option<String>,
    /// The folder holding its configs (LLOneBot's data dir, NapCat's work dir).
    pub data_dir: PathBuf,
    /// Its temp folder, when it exists.
    pub temp_dir: Option<PathBuf>,
    pub accounts: Vec<BotAccount>,
    /// The processes it runs in (QQ's, for both stacks).
    pub processes: Vec<BotProcess>,
    pub found_via: Source,
}

pub(super) fn list(
    llonebot: Option<&LlOneBot>,
    napcat: Option<&NapCat>,
    processes: &[QqProcess],
) -> Vec<Bot> {
    let procs: Vec<BotProcess> = processes
        .iter()
        .filter(|p| p.verified != Some(false))
        .map(|p| BotProcess {
            pid: p.pid,
            main: p.main,
        })
        .collect();
    let mut out = Vec::new();
    if let Some(l) = llonebot {
        let temp = l.data_dir.join("temp");
        out.push(Bot {
            kind: crate::stack::llonebot_plugin::STACK.bot,
            version: l.version.clone(),
            data_dir: l.data_dir.clone(),
            temp_dir: temp.is_dir().then_some(temp),
            accounts: l
                .accounts
                .iter()
                .map(|a| BotAccount { uin: a.uin.clone() })
                .collect(),
            processes: procs.clone(),
            found_via: l.source,
        });
    }
    if let Some(n) = napcat {
        out.push(Bot {
            kind: crate::stack::napcat::STACK.bot,
            version: n.version.clone(),
            data_dir: n.work_dir.clone(),
            temp_dir: n.temp_dir.clone(),
            accounts: n
                .accounts
                .iter()
                .map(|u| BotAccount { uin: u.clone() })
                .collect(),
            processes: procs,
            found_via: n.source,
        });
    }
    out
}
