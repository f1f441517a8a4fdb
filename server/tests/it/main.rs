//! The server's integration tests, one binary: the real axum router, compression, the role ×
//! action matrix, the `portal` binary's commands, and the benchmark data generator.

mod backup;
mod commands;
mod compression;
mod crash;
mod disk_full;
mod fuzz;
mod http;
mod listener;
mod mail;
mod matrix;
mod observe;
mod portal;
mod seed;
mod smtp;
