//! Privacy by construction, checked on the real binary: after realistic traffic from known
//! addresses and user agents, neither the database file, its WAL, nor the trace-level log
//! contains any of them.

use std::path::Path;

use serde_json::json;
use skopos_core::envelope;

use crate::server_process::{run, ServerProcess};

const PROBE_AGENT: &str =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Zqxjv/9.3.1";
const PROBE_IPS: [&str; 3] = ["203.0.113.77", "2001:db8:77::4242", "198.51.100.199"];

fn needles() -> Vec<Vec<u8>> {
    let mut needles: Vec<Vec<u8>> = vec![b"Zqxjv".to_vec(), PROBE_AGENT.as_bytes().to_vec()];
    for ip in PROBE_IPS {
        needles.push(ip.as_bytes().to_vec());
        let binary = match ip.parse::<std::net::IpAddr>().unwrap() {
            std::net::IpAddr::V4(v4) => v4.octets().to_vec(),
            std::net::IpAddr::V6(v6) => v6.octets().to_vec(),
        };
        needles.push(binary);
    }
    needles
}

fn assert_clean(path: &Path, bytes: &[u8]) {
    for needle in needles() {
        let found = bytes
            .windows(needle.len())
            .any(|window| window == needle.as_slice());
        assert!(
            !found,
            "{} contains {:?}",
            path.display(),
            String::from_utf8_lossy(&needle)
        );
    }
}

fn assert_folder_clean(dir: &Path) -> usize {
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            assert_clean(&path, &std::fs::read(&path).unwrap());
            checked += 1;
        }
    }
    checked
}

#[tokio::test]
async fn no_ip_or_user_agent_reaches_the_database_wal_or_logs() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let output = run(
        &data,
        &[
            "site",
            "add",
            "--name",
            "Shop",
            "--domain",
            "shop.example",
            "--privacy-mode",
            "strict",
        ],
    );
    assert!(output.status.success());
    let id = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    let log = dir.path().join("server.log");
    let server = ServerProcess::start(
        &data,
        &["--trusted-proxy", "x-forwarded-for"],
        &log,
        "trace",
    );

    let client = reqwest::Client::new();
    let seed_batch = json!({"sid": id, "type": "batch", "url": "https://shop.example/cart", "ref": "https://duckduckgo.com/",
        "sw": 390, "sh": 844, "lang": "en", "events": [{"t": "pv", "p": "/cart"}, {"t": "ev", "n": "checkout", "d": {"total": 12}}]});
    let bodies = [
        json!({"_d": envelope::encode(&seed_batch.to_string()), "_v": 1}),
        json!({"sid": id, "type": "errors", "url": "https://shop.example/cart", "errors": [{"msg": "TypeError", "count": 1}]}),
        json!({"sid": id, "type": "identify", "url": "https://shop.example/cart", "uid": "customer-9"}),
        json!({"sid": id, "type": "exit", "url": "https://shop.example/cart", "dur": 30}),
        json!({"site": "unknownsite", "url": "https://shop.example/", "events": [{"kind": "pageview"}]}),
        json!({"site": id, "url": "https://shop.example/", "events": []}),
    ];
    for ip in PROBE_IPS {
        for body in &bodies {
            let response = client
                .post(format!("{}/collect", server.base))
                .header("user-agent", PROBE_AGENT)
                .header("x-forwarded-for", ip)
                .header("origin", "https://shop.example")
                .header("content-type", "application/json")
                .body(body.to_string())
                .send()
                .await
                .unwrap();
            assert!([204, 400, 404].contains(&response.status().as_u16()));
        }
        // A bot from the same address, and a foreign origin.
        for (agent, origin) in [
            (
                "Googlebot/2.1 (+http://www.google.com/bot.html)",
                "https://shop.example",
            ),
            (PROBE_AGENT, "https://evil.example"),
        ] {
            let _ = client
                .post(format!("{}/collect", server.base))
                .header("user-agent", agent)
                .header("x-forwarded-for", ip)
                .header("origin", origin)
                .body(bodies[0].to_string())
                .send()
                .await
                .unwrap();
        }
    }

    // While running, the WAL holds the recent writes.
    assert!(
        assert_folder_clean(&data) >= 2,
        "database and WAL were checked"
    );
    let stats = run(&data, &["stats", "--site", &id, "--json"]);
    let stats: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(
        stats["pageviews"], 3,
        "the probe traffic was really stored: {stats}"
    );
    assert_eq!(stats["sessions"], 3);

    assert!(server.terminate().success());
    assert_folder_clean(&data);
    let log_text = std::fs::read(&log).unwrap();
    assert!(log_text.len() > 500, "trace logging was on");
    assert_clean(&log, &log_text);
}
