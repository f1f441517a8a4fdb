//! A scripted SMTP server that misbehaves on cue: it refuses connections, hangs, answers 4xx and
//! 5xx, or accepts, and keeps the Message-ID of everything it received.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// How the server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Accept,
    /// Nothing listens on the port.
    Refuse,
    /// Takes the connection and never greets.
    Hang,
    /// 451 to every recipient.
    TryLater,
    /// 550 to every recipient.
    Unavailable,
}

/// A scripted SMTP server: what it received, by Message-ID.
#[derive(Clone)]
pub(super) struct Smtp {
    pub(super) port: u16,
    mode: Arc<Mutex<Mode>>,
    received: Arc<Mutex<Vec<String>>>,
    listening: Arc<Mutex<Option<tokio::task::JoinHandle<()>>>>,
}

impl Smtp {
    pub(super) async fn start(mode: Mode) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let smtp = Smtp {
            port,
            mode: Arc::new(Mutex::new(Mode::Accept)),
            received: Arc::default(),
            listening: Arc::default(),
        };
        smtp.listen(listener);
        smtp.set(mode).await;
        smtp
    }

    fn listen(&self, listener: TcpListener) {
        let smtp = self.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(smtp.clone().converse(stream));
            }
        });
        *self.listening.lock().unwrap() = Some(task);
    }

    /// Switches the mode; `Refuse` closes the port, anything else opens it again.
    pub(super) async fn set(&self, mode: Mode) {
        let was = std::mem::replace(&mut *self.mode.lock().unwrap(), mode);
        if mode == Mode::Refuse {
            if let Some(task) = self.listening.lock().unwrap().take() {
                task.abort();
            }
        } else if was == Mode::Refuse {
            // The port was closed; bind it again (the aborted listener is dropped by now).
            tokio::time::sleep(Duration::from_millis(20)).await;
            let listener = TcpListener::bind(("127.0.0.1", self.port)).await.unwrap();
            self.listen(listener);
        }
    }

    fn mode(&self) -> Mode {
        *self.mode.lock().unwrap()
    }

    pub(super) fn received(&self) -> Vec<String> {
        self.received.lock().unwrap().clone()
    }

    async fn converse(self, stream: TcpStream) {
        if self.mode() == Mode::Hang {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            return;
        }
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read).lines();
        let mut say = async |text: &str| write.write_all(text.as_bytes()).await.is_ok();
        if !say("220 scripted ESMTP\r\n").await {
            return;
        }
        while let Ok(Some(line)) = lines.next_line().await {
            let verb = line.get(..4).unwrap_or(&line).to_ascii_uppercase();
            let reply = match verb.as_str() {
                "EHLO" | "HELO" => "250-scripted\r\n250 8BITMIME\r\n",
                "MAIL" | "RSET" | "NOOP" => "250 OK\r\n",
                "RCPT" => match self.mode() {
                    // A connection opened before the hang began hangs too.
                    Mode::Hang => {
                        tokio::time::sleep(Duration::from_secs(3600)).await;
                        return;
                    }
                    Mode::TryLater => "451 4.3.0 Try again later\r\n",
                    Mode::Unavailable => "550 5.1.1 Mailbox unavailable\r\n",
                    _ => "250 OK\r\n",
                },
                "DATA" => {
                    if !say("354 Go ahead\r\n").await {
                        return;
                    }
                    let mut message_id = String::new();
                    let mut ended = false;
                    while let Ok(Some(data)) = lines.next_line().await {
                        if data == "." {
                            ended = true;
                            break;
                        }
                        if data.to_ascii_lowercase().starts_with("message-id:") {
                            message_id = data["message-id:".len()..].trim().to_owned();
                        }
                    }
                    // A message cut off before its final "." was never accepted.
                    if !ended {
                        return;
                    }
                    self.received.lock().unwrap().push(message_id);
                    "250 OK queued\r\n"
                }
                "QUIT" => {
                    say("221 Bye\r\n").await;
                    return;
                }
                _ => "500 Unknown command\r\n",
            };
            if !say(reply).await {
                return;
            }
        }
    }
}
