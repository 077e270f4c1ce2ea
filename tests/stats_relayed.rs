//! Chat text is payload, in every layout. A message that quotes another one as `nick(uin):
//! text` (a relaying bot's `张三(12345): 你好`): the send still counts, and `12345` is no
//! account (only 3.x names the account that way, right after the time; the other layouts put
//! `| ` or a level tag there). A received message that quotes a timeout text, on its first line
//! or a later one, is no failure (the families the sample logs do not already cover: 5.x,
//! 7.2-7.11, 7.12+, NapCat's later lines). Lines follow tests/samples/logs/ORIGINS.md.

mod common;
mod stats_tree;

use serde_json::Value;
use stats_tree::{stats, with_texts};

const QUOTED: &str = "张三(12345): 你好";

/// (file name, family, the file's text): two sends, the first quoting `QUOTED`; LLOneBot 3.x to
/// 7.11 end each entry with a blank line.
fn families() -> Vec<(&'static str, &'static str, String)> {
    let q = QUOTED;
    vec![
        (
            "llonebot-2024-8-2 15-03-08.log",
            "3.x",
            format!(
                "2024/8/2 15:03:08 小助手(2854196310): 收到http请求 /send_group_msg {{\"group_id\":1,\"message\":\"{q}\"}} \n\n\
                 2024/8/2 15:03:09 小助手(2854196310): 收到http请求 /send_group_msg {{\"group_id\":1,\"message\":\"hi\"}} \n\n"
            ),
        ),
        (
            "llonebot-2024-12-1 10-00-00.log",
            "3.3x-4.x",
            format!(
                "2024/12/1 10:00:00 [info] 小助手(2854196310) | onebot 收到 HTTP 请求 /send_group_msg {{ group_id: 1, message: '{q}' }}\n\n\
                 2024/12/1 10:00:01 [info] 小助手(2854196310) | onebot 收到 HTTP 请求 /send_group_msg {{ group_id: 1, message: 'hi' }}\n\n"
            ),
        ),
        (
            "llonebot-2025-1-5 10-00-00.log",
            "5.x",
            format!(
                "[info] | 2025-01-05 10:00:00 | 收到 HTTP 请求 /send_group_msg {{ group_id: 1, message: '{q}' }}\n\n\
                 [info] | 2025-01-05 10:00:01 | 收到 HTTP 请求 /send_group_msg {{ group_id: 1, message: 'hi' }}\n\n"
            ),
        ),
        (
            "lltwobot-2025-9-1 08-00-00.log",
            "6.0-7.1",
            format!(
                "[info] | 2025-09-01 08:00:00 | 收到正向 Websocket 消息 {{ action: 'send_msg', params: {{ message: '{q}' }} }}\n\n\
                 [info] | 2025-09-01 08:00:01 | 收到 HTTP 请求 /send_msg {{ message: 'hi' }}\n\n"
            ),
        ),
        (
            "llbot-2025-3-1 10-00-00.log",
            "7.2-7.11",
            format!(
                "[info] | 2025-03-01 10:00:00 | 收到 HTTP 请求 /send_private_msg {{ user_id: 1, message: '{q}' }}\n\n\
                 [info] | 2025-03-01 10:00:01 | 收到 HTTP 请求 /send_private_msg {{ user_id: 1, message: 'hi' }}\n\n"
            ),
        ),
        (
            "llbot-2025-6-1 09-00-00.log",
            "7.12+",
            format!(
                "2025-06-01 09:00:00 [I] llbot 收到正向 Websocket 消息 {{ action: 'send_group_msg', params: {{ group_id: 1, message: '{q}' }}, echo: 7 }}\n\
                 2025-06-01 09:00:01 [I] llbot 收到 HTTP 请求 /send_group_msg {{ group_id: 1, message: 'hi' }}\n"
            ),
        ),
        (
            "llbot-2026-7-20 12-00-00.log",
            "8.x",
            format!(
                "2026-07-20 12:00:00 [I] onebot 收到 HTTP 请求 /send_group_msg {{ group_id: 1, message: '{q}' }}\n\
                 2026-07-20 12:00:01 [I] onebot 收到 HTTP 请求 /send_group_msg {{ group_id: 1, message: 'hi' }}\n\
                 2026-07-20 12:00:11 [E] onebot 发生错误 Error: waitForSelfEcho timeout\n"
            ),
        ),
        (
            "2025-05-12_10-00-00.123.log",
            "napcat",
            format!(
                "05-12 10:00:00 [info] 小助手 | 发送 -> 群聊 [测试群(194167989)] {q}\n\
                 05-12 10:00:01 [info] 小助手 | 发送 -> 群聊 [测试群(194167989)] [小助手(2854196310)] hi\n"
            ),
        ),
    ]
}

/// `stats` on a folder whose `logs/` holds only this file.
fn stats_of(name: &str, text: &str) -> Value {
    let (f, _) = with_texts(&[(name, text)]);
    stats(&f, &[])
}

fn uins(v: &Value) -> Vec<u64> {
    v["accounts"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["uin"].as_u64()).collect())
        .unwrap_or_default()
}

#[test]
fn a_quoted_nick_in_a_message_is_payload_in_every_layout() {
    // Every family is checked before the test fails, so a failure lists all that miscount.
    let mut wrong = Vec::new();
    for (name, family, text) in families() {
        let v = stats_of(name, &text);
        assert_eq!(v["files"][0]["family"], family, "{name}: {v:#}");
        // NapCat logs no requests, only its sends.
        let requests = if family == "napcat" { 0 } else { 2 };
        // 3.x and 3.3x-4.x name the account on every line; the others on none of these.
        let accounts: &[u64] = if matches!(family, "3.x" | "3.3x-4.x") {
            &[2854196310]
        } else {
            &[]
        };
        let got = (v["sends"].as_u64(), v["requests"].as_u64(), uins(&v));
        if got != (Some(2), Some(requests), accounts.to_vec()) {
            wrong.push(format!(
                "{family}: (sends, requests, accounts) = {got:?}, not (2, {requests}, {accounts:?})"
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// A 3.x nick may itself start with a bracketed word (`[BOT] 小冰`): that is no level tag, and
/// the line still names its account.
#[test]
fn a_3x_nick_in_brackets_still_names_the_account() {
    let text = "2024/8/2 15:03:08 [BOT] 小冰(1511954122): 收到http请求 /send_group_msg {\"group_id\":1} \n\n\
                2024/8/2 15:03:09 [BOT] 小冰(1511954122): 收到http请求 /send_msg {\"message\":\"张三(12345): 你好\"} \n\n";
    let v = stats_of("llonebot-2024-8-2 15-03-08.log", text);
    assert_eq!(v["sends"], 2, "{v:#}");
    assert_eq!(uins(&v), [1511954122]);
}

/// Received messages quoting the family's own timeout texts, on their first line and on the
/// lines after it, around one real send that timed out: one send, one timeout, nothing else.
#[test]
fn a_received_message_quoting_a_timeout_is_no_failure_in_any_family() {
    const IPC: &str = "invoke timeout, wrapperSession.getMsgService().sendMsg";
    const NAPCAT: &str = "Timeout: NTEvent serviceAndMethod:NodeIKernelMsgService/sendMsg";
    // `[type] | time | content`, entries ended by a blank line (5.x to 7.11).
    let bar = |date: &str| {
        format!(
            "[info] | {date} 08:00:01 | [收-群] 测试群(194167989) 路人(10001)：{IPC} 这是啥\n\
             发生错误 Error: {IPC}, [ '0' ]\n\n\
             [info] | {date} 08:00:02 | [收-群] 测试群(194167989) 路人(10001)：\n\
             我也遇到了\n\
             [error] | {date} 08:00:02 | 发生错误 Error: {IPC}, [ '0', {{ peerUid: '194167989' }} ]\n\n\
             [info] | {date} 08:00:03 | 收到 HTTP 请求 /send_group_msg {{ group_id: 194167989, message: 'a' }}\n\n\
             [error] | {date} 08:00:13 | 发生错误 Error: {IPC}, [ '0', {{ chatType: 2, peerUid: '194167989', guildId: '' }} ]\n\n"
        )
    };
    let cases = [
        ("llonebot-2025-1-5 08-00-00.log", "5.x", bar("2025-01-05")),
        ("llbot-2025-3-1 08-00-00.log", "7.2-7.11", bar("2025-03-01")),
        (
            // The cordis console exporter indents the lines after the first (7.12+).
            "llbot-2025-6-1 09-00-00.log",
            "7.12+",
            format!(
                "2025-06-01 09:00:00 [I] onebot [收-群] 测试群(194167989) 路人(10001)：{IPC} 这是啥\n\
                 {pad}2025-06-01 09:00:00 [E] onebot 发生错误 Error: ntqq api timeout IPC_UP_3, ns-ntApi-3, nodeIKernelMsgService/sendMsg, []\n\
                 2025-06-01 09:00:01 [I] onebot 收到 HTTP 请求 /send_group_msg {{ group_id: 194167989, message: 'a' }}\n\
                 2025-06-01 09:00:11 [E] onebot 发生错误 Error: ntqq api timeout IPC_UP_3, ns-ntApi-3, nodeIKernelMsgService/sendMsg, [\"0\",{{\"chatType\":2,\"peerUid\":\"194167989\"}}]\n",
                pad = " ".repeat(24)
            ),
        ),
        (
            // NapCat writes a message's later lines unindented.
            "2025-05-12_10-00-00.123.log",
            "napcat",
            format!(
                "05-12 10:00:00 [info] 小助手 | 接收 <- 群聊 [测试群(194167989)] [路人(10001)] 看这个报错\n\
                 Error: {NAPCAT} ListenerName:NodeIKernelMsgListener/onMsgInfoListUpdate EventRet:\n\
                 发生错误 {NAPCAT}\n\
                 05-12 10:00:01 [info] 小助手 | 发送 -> 群聊 [测试群(194167989)] [小助手(2854196310)] 好\n\
                 05-12 10:00:11 [error] 小助手 | 发生错误 Error: {NAPCAT} ListenerName:NodeIKernelMsgListener/onMsgInfoListUpdate EventRet:\n"
            ),
        ),
    ];
    let mut wrong = Vec::new();
    for (name, family, text) in cases {
        let v = stats_of(name, &text);
        assert_eq!(v["files"][0]["family"], family, "{name}: {v:#}");
        let n = |k: &str| v[k].as_u64().unwrap_or(u64::MAX);
        let got = (
            n("sends"),
            n("timeouts"),
            n("other_errors"),
            n("skipped_lines"),
        );
        if got != (1, 1, 0, 0) {
            wrong.push(format!(
                "{family}: (sends, timeouts, other errors, skipped lines) = {got:?}, not (1, 1, 0, 0)"
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
