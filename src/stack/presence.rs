//! What the bots' own logs say about their account being online: the texts each stack logs when
//! it logs in, is kicked off, loses its connection or fails to log in, one row per text, read from
//! each stack's source by release tag (LLOneBot/LuckyLilliaBot, NapNeko/NapCatQQ). A text counts
//! only at the start of the bot's message (never inside a chat message it logs).
//!
//! `derived` rows do not name the state themselves: it follows from them (a connection to QQ
//! lost means the bot is offline; a message the account sent or received means it was online).
//! The LLOneBot plugin (3.x – 4.x) and LLOneBot 5.x – 7.6 log no such event: their state is
//! unknown.

/// What a line says about the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Online,
    Offline,
}

/// One text a stack logs, and what it means.
#[derive(Debug)]
pub struct Sign {
    /// The stacks (`Stack::id`) whose logs hold it.
    pub stacks: &'static [&'static str],
    /// The start of the bot's message.
    pub text: &'static str,
    pub state: State,
    /// Why: `login`, `kicked`, `disconnected`, `login_failed`, `not_logged_in`, `message`.
    pub why: &'static str,
    /// The state follows from the line rather than being named by it.
    pub derived: bool,
    /// The releases that log it, and where (for README and review).
    pub source: &'static str,
}

const LLBOT: &[&str] = &["llbot"];
const NAPCAT: &[&str] = &["napcat"];

pub const SIGNS: &[Sign] = &[
    // LLBot 8 (LuckyLilliaBot v8.0.8 – v8.1.7).
    Sign {
        stacks: LLBOT,
        text: "QQ 登录成功",
        state: State::Online,
        why: "login",
        derived: false,
        source: "LLBot 8.0.8+ src/main/qqProtocol/pmhq.ts (PMHQ mode)",
    },
    Sign {
        stacks: LLBOT,
        text: "[QQ Server] Online registered!",
        state: State::Online,
        why: "login",
        derived: false,
        source: "LLBot 8.0.8+ src/main/qqProtocol/direct.ts (headless, saved session)",
    },
    Sign {
        stacks: LLBOT,
        text: "Login successful!",
        state: State::Online,
        why: "login",
        derived: false,
        source: "LLBot 8.0.8+ src/main/qqProtocol/direct.ts (headless, QR code)",
    },
    Sign {
        stacks: LLBOT,
        text: "[Kick] code=",
        state: State::Offline,
        why: "kicked",
        derived: false,
        source: "LLBot 8.0.10+ src/ntqqapi/dispatcher.ts (KickNT push)",
    },
    Sign {
        stacks: LLBOT,
        text: "协议层断开",
        state: State::Offline,
        why: "disconnected",
        derived: false,
        source: "LLBot 8.0.8+ src/main/main.ts (protocol/disconnect)",
    },
    Sign {
        stacks: LLBOT,
        text: "[EmailNotification] Bot offline",
        state: State::Offline,
        why: "disconnected",
        derived: false,
        source: "LLBot 8.0.8+ src/common/emailNotification.ts (kicked, or QQ gone 10 s)",
    },
    Sign {
        stacks: LLBOT,
        text: "[EmailNotification] Bot went offline",
        state: State::Offline,
        why: "disconnected",
        derived: false,
        source: "LLOneBot 7.7.0 – 7.12.15 src/common/emailNotification.ts (kicked, or PMHQ gone 10 s)",
    },
    Sign {
        stacks: LLBOT,
        text: "Login failed: state=",
        state: State::Offline,
        why: "login_failed",
        derived: false,
        source: "LLBot 8.0.8+ src/main/qqProtocol/direct.ts",
    },
    Sign {
        stacks: LLBOT,
        text: "Register online failed",
        state: State::Offline,
        why: "login_failed",
        derived: false,
        source: "LLBot 8.0.8+ src/main/qqProtocol/direct.ts",
    },
    Sign {
        stacks: LLBOT,
        text: "Saved session expired",
        state: State::Offline,
        why: "login_failed",
        derived: true,
        source: "LLBot 8.0.8+ src/main/qqProtocol/direct.ts (waits for a QR code scan)",
    },
    Sign {
        stacks: LLBOT,
        text: "QQ 未登录，等待登录中",
        state: State::Offline,
        why: "not_logged_in",
        derived: false,
        source: "LLBot 8.0.8+ src/main/qqProtocol/pmhq.ts",
    },
    Sign {
        stacks: LLBOT,
        text: "PMHQ WebSocket 连接错误",
        state: State::Offline,
        why: "disconnected",
        derived: true,
        source: "LLOneBot 7.12.0+ src/main/pmhq/base.ts, LLBot 8 src/main/qqProtocol/pmhq.ts (QQ gone)",
    },
    Sign {
        stacks: LLBOT,
        text: "PMHQ WebSocket 连接关闭",
        state: State::Offline,
        why: "disconnected",
        derived: true,
        source: "LLOneBot 7.12.0+ src/main/pmhq/base.ts, LLBot 8 src/main/qqProtocol/pmhq.ts (QQ gone)",
    },
    // NapCat (NapNeko/NapCatQQ v1.6.6 – v4.18.19).
    Sign {
        stacks: NAPCAT,
        text: "[KickedOffLine]",
        state: State::Offline,
        why: "kicked",
        derived: false,
        source: "NapCat 1.6.6+ packages/napcat-core/index.ts (onKickedOffLine)",
    },
    Sign {
        stacks: NAPCAT,
        text: "账号状态变更为离线",
        state: State::Offline,
        why: "disconnected",
        derived: false,
        source: "NapCat 2.x+ packages/napcat-core/index.ts (onSelfStatusChanged, status 20)",
    },
    Sign {
        stacks: NAPCAT,
        text: "[Core] [Login] Login Error",
        state: State::Offline,
        why: "login_failed",
        derived: false,
        source: "NapCat 2.x+ packages/napcat-shell/base.ts",
    },
    Sign {
        stacks: NAPCAT,
        text: "[NapCat] 已通知主进程登录成功",
        state: State::Online,
        why: "login",
        derived: false,
        source: "NapCat 4.17.19+ packages/napcat-shell/base.ts (NapCat Shell's worker)",
    },
    Sign {
        stacks: NAPCAT,
        text: "密码回退登录成功",
        state: State::Online,
        why: "login",
        derived: false,
        source: "NapCat 4.17.27+ packages/napcat-shell/base.ts",
    },
    Sign {
        stacks: NAPCAT,
        text: "发送 -> ",
        state: State::Online,
        why: "message",
        derived: true,
        source: "NapCat 2.x+ the account sent a message (logMessage)",
    },
    Sign {
        stacks: NAPCAT,
        text: "接收 <- ",
        state: State::Online,
        why: "message",
        derived: true,
        source: "NapCat 2.x+ the account received a message (logMessage)",
    },
];

/// The row whose text starts `message`, for a line of a log of `stack`.
pub fn sign_at(stack: &str, message: &[u8]) -> Option<&'static Sign> {
    SIGNS
        .iter()
        .find(|s| s.stacks.contains(&stack) && message.starts_with(s.text.as_bytes()))
}

/// Does any row belong to this stack (else its state is never known from its logs)?
pub fn logs_presence(stack: &str) -> bool {
    SIGNS.iter().any(|s| s.stacks.contains(&stack))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_found_by_stack_and_start() {
        let s = sign_at("llbot", "[Kick] code=1 title=\"下线通知\"".as_bytes()).unwrap();
        assert_eq!((s.state, s.why), (State::Offline, "kicked"));
        assert!(sign_at("napcat", "[Kick] code=1".as_bytes()).is_none());
        assert!(sign_at("llbot", "x [Kick] code=1".as_bytes()).is_none());
        assert!(logs_presence("napcat") && !logs_presence("llonebot_plugin"));
        // No row's text starts another's of the same stack: the first match is the only one.
        for a in SIGNS {
            for b in SIGNS {
                let shared = a.stacks.iter().any(|x| b.stacks.contains(x));
                if !std::ptr::eq(a, b) && shared {
                    assert!(!b.text.starts_with(a.text), "{} / {}", a.text, b.text);
                }
            }
        }
    }
}
