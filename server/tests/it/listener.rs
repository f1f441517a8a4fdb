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
