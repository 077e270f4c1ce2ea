//! One instance's version verdicts as yes/no/unknown, from `check-versions`' report of the
//! installation as the instance sees it.

use serde::Serialize;

use crate::check_versions::{self, Component, Name};
use crate::discover::{Installation, Instance};
use crate::policy::{Minimums, Rule, Status};
use crate::version;

/// `None` is "not known" (a version that cannot be read, no QQ found for a bot that needs one).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Verdicts {
    /// The bot (or, for the plugin, LiteLoaderQQNT) is older than its minimum.
    pub below_minimum: Option<bool>,
    /// The QQ it runs in is below Tencent's login floor (never, for a bot without QQ).
    pub login_refused: Option<bool>,
    /// The bot does not support the QQ build it runs on (NapCat's table, PMHQ's offsets,
    /// LiteLoaderQQNT's minimum for that build).
    pub qq_unsupported: Option<bool>,
    /// QQ has staged an update for its next start.
    pub update_staged: Option<bool>,
    /// That update is a build the bot does not support.
    pub update_breaks: Option<bool>,
}

pub fn of(view: &Installation, inst: &Instance) -> Verdicts {
    let table = version::table();
    let Ok(mins) = Minimums::resolve(None, None, table) else {
        return Verdicts::default();
    };
    let report = check_versions::build_report(view, &mins, table);
    let row = |n: Name| report.components.iter().find(|c| c.name == n);
    let bot = match inst.stack {
        s if s == crate::stack::napcat::STACK.id => row(Name::Napcat),
        s if s == crate::stack::llbot::STACK.id => row(Name::Llbot).or_else(|| row(Name::Llonebot)),
        _ => row(Name::Llonebot),
    };
    let ll = row(Name::Liteloader);
    let uses_qq = Installation::uses_qq(inst);
    let qq = row(Name::Qq);
    let staged = qq.and_then(|q| q.staged_update.as_ref());
    let known = |c: Option<&Component>, yes: &dyn Fn(&Component) -> bool| -> Option<bool> {
        let c = c?;
        (c.status != Status::Unknown).then(|| yes(c))
    };
    let ll_for_qq =
        ll.is_some_and(|c| c.status == Status::Outdated && c.rule == Some(Rule::LiteloaderForQq));
    let ll_old = ll.is_some_and(|c| c.status == Status::Outdated && c.rule == Some(Rule::Minimum));
    Verdicts {
        below_minimum: known(bot, &|c| c.status == Status::Outdated).map(|b| b || ll_old),
        login_refused: if uses_qq {
            known(qq, &|q| q.status == Status::Refused)
        } else {
            Some(false)
        },
        qq_unsupported: known(bot, &|c| c.status == Status::Unsupported).map(|b| b || ll_for_qq),
        update_staged: if uses_qq {
            qq.map(|_| staged.is_some())
        } else {
            Some(false)
        },
        update_breaks: if uses_qq {
            qq.map(|_| staged.is_some_and(|s| !s.breaks.is_empty()))
        } else {
            Some(false)
        },
    }
}
