//! Tests of the line parser on the real line shapes of each version, and on junk.

use super::*;

fn dated(line: &str) -> (Stamp, usize) {
    match lead(line.as_bytes()) {
        Lead::Dated { stamp, rest } => (stamp, rest),
        other => panic!("{line:?}: {other:?}"),
    }
}

fn kind(line: &str) -> Option<Kind<'_>> {
    let (_, rest) = dated(line);
    classify(line.as_bytes(), rest)
}

#[test]
fn the_3_27_3_sample_lines() {
    let l =
        "2024/8/2 15:03:08 空(1511954122): 收到http请求 /send_group_msg {\"group_id\":194167989} ";
    let Some(Kind::Http(r)) = kind(l) else {
        panic!("{:?}", kind(l))
    };
    assert_eq!(http_action(r), Some(&b"send_group_msg"[..]));
    let l = "2024/8/2 15:03:08 空(1511954122): 发送消息总大小 0 bytes ";
    let Some(Kind::AttachmentSize(r)) = kind(l) else {
        panic!()
    };
    assert_eq!(number(r), Some(0));
    let l = "2024/8/2 15:03:08 空(1511954122): 设置消息超时时间 5000 ";
    let Some(Kind::TimeoutSet(r)) = kind(l) else {
        panic!()
    };
    assert_eq!(number(r), Some(5000));
    let l = "2024/8/2 15:03:13 空(1511954122): ntqq api timeout IPC_UP_2, ns-ntApi-2, nodeIKernelMsgService/sendMsg [\"x\"] ";
    assert_eq!(kind(l), Some(Kind::ApiTimeout(true)));
    let l = "2024/8/2 15:03:13 空(1511954122): 发生错误 发送超时";
    let Some(Kind::Error(r)) = kind(l) else {
        panic!()
    };
    assert!(error_is_send_timeout(r));
}

#[test]
fn later_formats() {
    // 4.x: legacy log() without the account, and the cordis logger with its name.
    let l = "2024/11/3 10:00:01 ntqq api timeout IPC_UP_3, ns-ntApi-3, nodeIKernelMsgService/getUserDetailInfo [] ";
    assert_eq!(kind(l), Some(Kind::ApiTimeout(false)));
    let l = "2024/11/3 10:00:01 | onebot 收到 HTTP 请求 /send_private_msg?access_token=abc { user_id: 1 }";
    let Some(Kind::Http(r)) = kind(l) else {
        panic!()
    };
    assert_eq!(http_action(r), Some(&b"send_private_msg"[..]));
    let l = "2024/11/3 10:00:01 | onebot 收到正向 Websocket 消息 { action: 'send_group_forward_msg', params: {} }";
    let Some(Kind::Ws(r)) = kind(l) else { panic!() };
    assert_eq!(ws_action(r), Some(&b"send_group_forward_msg"[..]));
    // 5.x: `[level] | time | content`; 6.x: `time [I] name content`.
    let l = "[error] | 2025-01-05 10:00:00 | 发生错误 Error: ntqq api timeout IPC_UP_3, ns-ntApi-3, nodeIKernelMsgService/sendMsg, []";
    let Some(Kind::Error(r)) = kind(l) else {
        panic!()
    };
    assert!(error_is_send_timeout(r));
    let l =
        "2025-06-01 09:00:00 [I] llbot 收到反向Websocket消息 {\"echo\":1,\"action\":\"send_msg\"}";
    let Some(Kind::Ws(r)) = kind(l) else { panic!() };
    assert_eq!(ws_action(r), Some(&b"send_msg"[..]));
    // 3.x with no account yet.
    let l = "2024/8/2 15:03:13 : 发生错误 {}";
    assert!(matches!(kind(l), Some(Kind::Error(_))));
}

#[test]
fn replies_and_chat_text_are_not_errors() {
    for l in [
        // Someone typing the words in a group.
        "2024/8/2 15:03:13 空(1): 收到消息 {\"raw_message\":\"发生错误 发送超时\"}",
        "2024/8/2 15:03:13 | onebot WebSocket 事件上报 ws://x message",
        "2024/8/2 15:03:13 消息发送 12345 ",
    ] {
        assert_eq!(kind(l), None, "{l}");
    }
    // The WebSocket reply to a failed send repeats the error: its own kind, not an error.
    let l = "2024/8/2 15:03:13 空(1): ws 消息上报 undefined {\"status\":\"failed\",\"retcode\":1200,\"message\":\"发送超时\"} ";
    let Some(Kind::WsReply(r)) = kind(l) else {
        panic!()
    };
    assert!(reply_failed(r) && error_is_send_timeout(reply_message(r)));
    assert!(!reply_failed(
        br#"{"post_type":"message","raw_message":"{\"status\":\"failed\"}"}"#
    ));
}

#[test]
fn actions() {
    assert_eq!(
        ws_action(br#"{"params":{"message":"{\"action\":\"x\"}"},"action":"send_msg"}"#),
        Some(&b"send_msg"[..])
    );
    assert_eq!(
        ws_action(br#"{"action": "get_status"}"#),
        Some(&b"get_status"[..])
    );
    assert_eq!(ws_action(b"{ transaction: 'x' }"), None);
    assert_eq!(ws_action(b"{\"params\":{}"), None);
    assert_eq!(http_action(b" /send_msg/ {}"), Some(&b"send_msg"[..]));
    assert_eq!(http_action(b" / {}"), None);
    assert!(is_send_action(b"send_private_forward_msg"));
    assert!(!is_send_action(b"send_like"));
    assert_eq!(number(b" 5195.6"), Some(5196));
    assert_eq!(number(b" 12 bytes"), Some(12));
    assert_eq!(number(b" x"), None);
    assert_eq!(number(b" 99999999999999999999999"), None);
}

#[test]
fn never_panics_on_junk() {
    let junk: [&[u8]; 6] = [
        b"\xff\xfe\x00\x01",
        b"2024/8/2 15:03:13",
        b"2024/8/2 15:03:13 ",
        "2024/8/2 15:03:13 收".as_bytes(),
        b"[info] | ",
        b"2024/8/2 15:03:13 \xe5\x8f",
    ];
    for j in junk {
        if let Lead::Dated { rest, .. } = lead(j) {
            let _ = classify(j, rest);
        }
    }
}

proptest::proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
        let hint = Some(super::super::stamp::YearHint { year: 2025, month: 5 });
        for lead in [lead(&bytes), super::super::stamp::lead_in(&bytes, hint)] {
            if let Lead::Dated { rest, .. } = lead {
                let _ = classify_with_uin(&bytes, rest);
            }
        }
        let _ = reply_message(&bytes);
        let _ = error_kind(&bytes);
        let _ = error_words(&bytes);
        let _ = timeout_target(&bytes);
        let _ = self_message_target(&bytes, true);
        let _ = self_message_target(&bytes, false);
        let _ = message_starts(&bytes, bytes.len() / 2);
    }
}

#[test]
fn the_uin_of_a_nick_is_up_to_twelve_digits() {
    assert_eq!(trailing_uin(b"Bot(1511954122)"), Some(1_511_954_122));
    assert_eq!(trailing_uin(b"a(b)(999999999999)"), Some(999_999_999_999));
    assert_eq!(trailing_uin(b"x(1234567890123)"), None);
    assert_eq!(trailing_uin(b"x()"), None);
    assert_eq!(trailing_uin(b"x(12a)"), None);
    assert_eq!(trailing_uin(b"x(12) "), None);
}

proptest::proptest! {
    /// What the first pass relies on to skip reading a 3.x account again: a line whose text
    /// starts with the bytes of an earlier line's `nick(uin): ` names that account, and its
    /// message starts right after them.
    #[test]
    fn a_repeated_nick_reads_as_it_did_before(
        nick in "[ |\\[\\]a空(1):]{0,10}\\(1[0-9]{0,3}\\): ",
        a in "(收到http请求 /send_msg |发生错误 |[x (|):]){0,4}",
        b in "(收到http请求 /send_msg |发生错误 |[x (|):]){0,4}",
    ) {
        let first = format!("{nick}{a}");
        let (_, uin, len) = classify_nick(first.as_bytes(), 0);
        if let Some(n) = len {
            let mut second = first.as_bytes()[..n].to_vec();
            second.extend_from_slice(b.as_bytes());
            proptest::prop_assert_eq!(
                classify_with_uin(&second, 0),
                (kind_at(&second[n..]), uin)
            );
        }
    }
}

/// Every error text the stacks write, read by the words it starts with.
#[test]
fn errors_are_read_by_their_first_words() {
    use ErrKind::*;
    for (text, want) in [
        // 3.x thrown string; 4.x string and Error; the IPC method decides.
        (" 发送超时 ", SendTimeout),
        (
            " ntqq api timeout IPC_UP_3, ns-ntApi-3, nodeIKernelMsgService/sendMsg, [\"0\"]",
            SendTimeout,
        ),
        (
            " Error: ntqq api timeout IPC_UP_3, ns-ntApi-3, nodeIKernelMsgService/getMsgs, [\"sendMsg\"]",
            Other,
        ),
        // 5.x string, 6.x+ Error: the function named, not words in the arguments.
        (
            " invoke timeout, wrapperSession.getMsgService().sendMsg, [ '0', { peerUid: '1' } ]",
            SendTimeout,
        ),
        (
            " Error: invoke timeout, wrapperSession.getRichMediaService().uploadRMFileWithoutMsg, [{}]",
            SendTimeout,
        ),
        (
            " Error: invoke timeout, wrapperSession.getMsgService().getMsgsIncludeSelf, [ 'sendMsg' ]",
            Other,
        ),
        // 7.10+: a send the kernel refused, whose arguments quote a timeout text (chat text).
        (
            " DetailedError: invoke failed, wrapperSession.getMsgService().sendMsg, [ '0', { content: \"invoke timeout, wrapperSession.getMsgService().sendMsg 这是啥报错\" } ], { result: 1 }",
            SendFailed,
        ),
        (
            " DetailedError: invoke failed, wrapperSession.getGroupService().getGroupMemberList, [ 'invoke timeout, x.sendMsg' ]",
            Other,
        ),
        // 8.x.
        (" Error: waitForSelfEcho timeout", EchoTimeout),
        (
            " Error: Command MessageSvc.PbSendMsg timed out after 15000ms",
            SendTimeout,
        ),
        (
            " Error: Command OidbSvcTrpcTcp.0xfe1_2 timed out after 15000ms",
            Other,
        ),
        (" Error: 发送消息失败 (code=120): 禁言中", SendFailed),
        // NapCat, and an error printed without its stack.
        (
            " Error: Timeout: NTEvent serviceAndMethod:NodeIKernelMsgService/sendMsg ListenerName:x EventRet:",
            SendTimeout,
        ),
        (
            " [Error: Timeout: NTEvent serviceAndMethod:NodeIKernelMsgService/sendMsg ListenerName:x]",
            SendTimeout,
        ),
        (
            " Error: EventChecker Failed: NTEvent serviceAndMethod:NodeIKernelMsgService/sendMsg ListenerName:x",
            SendFailed,
        ),
        (
            " Error: EventChecker Failed: NTEvent serviceAndMethod:NodeIKernelGroupService/getMemberInfo ListenerName:x",
            Other,
        ),
        // An error about something else that quotes the words.
        (
            " Error: 消息1234567不存在: invoke timeout, wrapperSession.getMsgService().sendMsg",
            Other,
        ),
        (" Error: 群成员不存在 发送超时", Other),
        (" {}", Other),
    ] {
        assert_eq!(error_kind(text.as_bytes()), want, "{text}");
    }
    let reply = br#"{"status":"failed","retcode":1200,"data":null,"message":"Error: Timeout: NTEvent EventName:NodeIKernelMsgService/sendMsg ListenerName:x EventRet:\n{}\n","echo":"a5"}"#;
    assert_eq!(error_kind(reply_message(reply)), SendTimeout);
    assert_eq!(
        reply_message(br#"{"status":"failed","message":"a\"b","x":1}"#),
        br#"a\"b"#
    );
}

#[test]
fn napcat_reverse_websocket_requests() {
    let l = "05-12 10:00:00 [debug] 小助手 | [OneBot] [WebSocket Client] 收到正向Websocket消息 {\"action\":\"send_group_msg\",\"params\":{}}";
    let hint = Some(super::super::stamp::YearHint {
        year: 2025,
        month: 5,
    });
    let Lead::Dated { rest, .. } = super::super::stamp::lead_in(l.as_bytes(), hint) else {
        panic!()
    };
    let Some(Kind::Ws(r)) = classify(l.as_bytes(), rest) else {
        panic!()
    };
    assert_eq!(ws_action(r), Some(&b"send_group_msg"[..]));
}

/// The chat-summary check as it was first written (any `[收-`, `[发-`, `接收 <- ` starting in the
/// 48 bytes after `rest`), to hold the faster one to it.
fn chat_summary_reference(line: &[u8], rest: usize) -> bool {
    let head = &line[rest.min(line.len())..line.len().min(rest + 48)];
    (0..head.len()).any(|k| {
        let h = &head[k..];
        h.starts_with("[收-".as_bytes())
            || h.starts_with("[发-".as_bytes())
            || h.starts_with("接收 <- ".as_bytes())
    })
}

proptest::proptest! {
    #[test]
    fn chat_summaries_are_found_wherever_they_start(
        text in "([收发接-]|\\[收-|\\[发-|接收 <- |收 <- |[ a\\[<]){0,24}",
        rest in 0usize..8,
    ) {
        let b = text.as_bytes();
        proptest::prop_assert_eq!(is_chat_summary(b, rest), chat_summary_reference(b, rest));
    }
}

/// The byte table of the head scans says what the comparisons it replaced said, for every byte.
#[test]
fn head_byte_classes_match_their_definitions() {
    for b in 0..=255u8 {
        let name = b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/');
        let payload = matches!(b, b'{' | b'\'' | b'"' | b'[');
        let t = HEAD_BYTES[usize::from(b)];
        assert_eq!(t & NAME_BYTE != 0, name, "{b:#04x}");
        assert_eq!(t & PAYLOAD_BYTE != 0, payload, "{b:#04x}");
    }
    assert_eq!(logger_name("onebot 收到".as_bytes()), Some(7));
    assert_eq!(logger_name("小助手 | x".as_bytes()), None);
    assert_eq!(logger_name(b" x"), None);
}

/// A level tag in any case ends the search for a 3.x nick; a bracketed word that is no level
/// (a nick like `[BOT] 小冰`) does not.
#[test]
fn level_tags_are_known_words_in_any_case() {
    for w in [
        "I", "e", "info", "INFO", "Warn", "warning", "error", "ERR", "debug", "fatal",
    ] {
        assert!(is_level_word(w.as_bytes()), "{w}");
    }
    for w in ["BOT", "bot1", "收-群", "informal", ""] {
        assert!(!is_level_word(w.as_bytes()), "{w}");
    }
    let relayed = "[INFO] | 收到 HTTP 请求 /send_msg { message: '张三(12345): 你好' }";
    assert!(!message_starts(relayed.as_bytes(), 0).nick);
    let nick = "[BOT] 小冰(1511954122): 收到http请求 /send_msg {}";
    let st = message_starts(nick.as_bytes(), 0);
    assert!(st.nick && st.uin == 1_511_954_122);
}
