#!/usr/bin/env python3
"""Generates a realistic LLOneBot data folder for the benchmarks, with a fixed seed.

  gen.py tree DIR [--files 200000]   data/LLOneBot with temp/ (nested, realistic size mix),
                                      two msg_<uin> LevelDB-like folders, configs
  gen.py logs FILE [--mb 1024]        LLOneBot log lines in the real 3.27.3 format

Sizes follow what temp/ holds in practice: many small files (thumbnails, JSON, voice),
fewer images of tens of KB, a few downloads of several MB.
"""
import argparse
import json
import os
import random


def size_mix(rng):
    r = rng.random()
    if r < 0.60:
        return rng.randint(200, 4_000)        # small: json, silk voice, thumbs
    if r < 0.97:
        return rng.randint(4_000, 12_000)     # images
    if r < 0.999:
        return rng.randint(12_000, 60_000)    # larger images
    return rng.randint(300_000, 2_000_000)    # downloads, update zips


def tree(root, files):
    rng = random.Random(20241125)
    data = os.path.join(root, "LLOneBot")
    temp = os.path.join(data, "temp")
    os.makedirs(temp, exist_ok=True)
    with open(os.path.join(os.path.dirname(__file__), "..", "tests", "samples",
                           "llonebot-config-3.28.3-defaults.json"), "rb") as f:
        config = f.read()
    for uin in ("1511954122", "2024112501"):
        with open(os.path.join(data, f"config_{uin}.json"), "wb") as f:
            f.write(config)
        db = os.path.join(data, f"msg_{uin}")
        os.makedirs(db, exist_ok=True)
        for name, size in (("CURRENT", 16), ("LOCK", 0), ("LOG", 2_000), ("MANIFEST-000002", 4_000)):
            with open(os.path.join(db, name), "wb") as f:
                f.write(b"x" * size)
        for i in range(10):
            with open(os.path.join(db, f"{5 + i:06d}.ldb"), "wb") as f:
                f.write(rng.randbytes(2_000_000))
    chunk = rng.randbytes(2_100_000)
    made = 0
    # Folders of a few hundred files, two levels deep, like LLOneBot's per-download folders.
    while made < files:
        d1 = os.path.join(temp, f"{rng.getrandbits(64):016x}")
        os.makedirs(d1, exist_ok=True)
        for _ in range(rng.randint(5, 15)):
            d2 = os.path.join(d1, f"{rng.getrandbits(32):08x}")
            os.makedirs(d2, exist_ok=True)
            for _ in range(rng.randint(20, 60)):
                if made >= files:
                    break
                size = size_mix(rng)
                name = f"{rng.getrandbits(48):012x}.{rng.choice(['png', 'jpg', 'silk', 'amr', 'json', 'gif'])}"
                with open(os.path.join(d2, name), "wb") as f:
                    f.write(chunk[:size])
                made += 1
    print(f"{made} files in {temp}")


def logs(path, mb):
    rng = random.Random(8)
    target = mb * 1024 * 1024
    written = 0
    day = 1
    with open(path, "w", encoding="utf-8") as f:
        while written < target:
            hh, mm, ss = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
            t = f"2024/8/{day} {hh}:{mm:02d}:{ss:02d}"
            who = "空(1511954122)"
            group = rng.randint(100000000, 999999999)
            text = "".join(rng.choice("你好世界机器人消息测试abcdef0123") for _ in range(rng.randint(5, 60)))
            action = rng.choice(["send_group_msg", "send_private_msg", "get_group_list", "send_msg"])
            body = json.dumps({"group_id": group, "message": [{"type": "text", "data": {"text": text}}]},
                              ensure_ascii=False)
            lines = [f"{t} {who}: 收到http请求 /{action} {body} \n\n"]
            if action.startswith("send"):
                size = rng.choice([0, 0, 0, rng.randint(10_000, 800_000)])
                lines.append(f"{t} {who}: 发送消息总大小 {size} bytes \n\n")
                lines.append(f"{t} {who}: 设置消息超时时间 {5000 + size * 1000 // 102400} \n\n")
                if rng.random() < 0.03:
                    lines.append(f"{t} {who}: ntqq api timeout IPC_UP_2, ns-ntApi-2, nodeIKernelMsgService/sendMsg [] \n\n")
                    lines.append(f"{t} {who}: 发生错误 发送超时\n\n")
            for line in lines:
                f.write(line)
                written += len(line.encode("utf-8"))
            if rng.random() < 0.00002:
                day = min(day + 1, 28)
    print(f"{written} bytes in {path}")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("tree")
    t.add_argument("dir")
    t.add_argument("--files", type=int, default=200_000)
    l = sub.add_parser("logs")
    l.add_argument("file")
    l.add_argument("--mb", type=int, default=1024)
    a = p.parse_args()
    if a.cmd == "tree":
        tree(a.dir, a.files)
    else:
        logs(a.file, a.mb)


if __name__ == "__main__":
    main()
