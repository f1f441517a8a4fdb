//! The portal's listener.

use axum::serve::Listener;
use std::net::SocketAddr;

#[tokio::test]
async fn accepted_connections_do_not_wait_for_delayed_acknowledgements() {
    let mut listener = server::listen(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("a free port");
    let address = listener.local_addr().expect("bound");
    let _client = tokio::net::TcpStream::connect(address)
        .await
        .expect("connects");
    let (accepted, _) = listener.accept().await;
    assert!(accepted.nodelay().expect("socket option readable"));
}

/// One request on a fresh connection; how long until the whole answer arrived.
async fn timed_request(address: SocketAddr) -> std::time::Duration {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let started = std::time::Instant::now();
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connects");
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: portal\r\nConnection: close\r\n\r\n")
        .await
        .expect("sends");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("reads");
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    started.elapsed()
}

/// Hundreds of clients that trickle their headers (slowloris) neither slow the others down nor
/// hold their connections past the header timeout.
#[tokio::test]
async fn slow_clients_do_not_stop_others_from_being_served() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let test = app::testing::TestDb::new().await;
    let listener = server::listen(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("a free port");
    let address = listener.local_addr().expect("bound");
    let header_timeout = std::time::Duration::from_secs(2);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server::serving::serve(
        listener,
        super::http::router(&test.state),
        header_timeout,
        async {
            let _ = stopped.await;
        },
    ));
    let mut slow = Vec::new();
    for _ in 0..300 {
        let mut stream = tokio::net::TcpStream::connect(address)
            .await
            .expect("connects");
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: portal\r\nX-Slow: ")
            .await
            .expect("sends");
        slow.push(stream);
    }
    // They keep trickling, one byte a quarter second each.
    let trickle = tokio::spawn(async move {
        let mut open = slow;
        let mut closed = 0;
        for _ in 0..40 {
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
            let mut still = Vec::new();
            for mut stream in open {
                if stream.write_all(b"a").await.is_ok() {
                    still.push(stream);
                } else {
                    closed += 1;
                }
            }
            open = still;
        }
        // Whatever the writes did not notice, a read does: the server has hung up.
        for mut stream in open {
            let mut buffer = [0u8; 512];
            match tokio::time::timeout(std::time::Duration::from_secs(1), stream.read(&mut buffer))
                .await
            {
                Ok(Ok(_)) | Ok(Err(_)) => closed += 1,
                Err(_) => {}
            }
        }
        closed
    });
    let mut latencies = Vec::new();
    for _ in 0..100 {
        latencies.push(timed_request(address).await);
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    latencies.sort();
    let p99 = latencies[98];
    assert!(p99 < std::time::Duration::from_millis(100), "p99 {p99:?}");
    let closed = trickle.await.expect("trickled");
    println!(
        "figure: 300 slowloris connections: another client's p99 {:.1} ms over 100 requests; \
         {closed} of the 300 cut off by the {} s header timeout",
        p99.as_secs_f64() * 1000.0,
        header_timeout.as_secs()
    );
    assert_eq!(
        closed, 300,
        "every slow connection is let go after the header timeout"
    );
    let _ = stop.send(());
    serving.await.expect("stops");
}
