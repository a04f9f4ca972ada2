# syntax=docker/dockerfile:1
# Build: docker build -t portcullis .
# Run:   docker run -p 8080:8080 -v $PWD/config.toml:/etc/portcullis/config.toml:ro \
#          -v $PWD/users.toml:/etc/portcullis/users.toml -v portcullis-data:/data portcullis

FROM rust:1-slim-bookworm AS build
WORKDIR /src
# Dependencies first, so that editing the source does not rebuild them.
COPY Cargo.toml Cargo.lock ./
COPY .cargo .cargo
RUN mkdir -p src tests/it bench && echo 'fn main() {}' > src/main.rs && cp src/main.rs bench/floor.rs \
    && touch src/lib.rs tests/it/main.rs \
    && cargo build --release --locked --bin portcullis \
    && rm -rf src tests bench
COPY src src
COPY templates templates
RUN touch src/main.rs src/lib.rs && cargo build --release --locked --bin portcullis

# distroless: glibc and CA certificates, no shell, runs as uid 65532.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/target/release/portcullis /usr/local/bin/portcullis
ENV PORTCULLIS_CONFIG=/etc/portcullis/config.toml
EXPOSE 8080
VOLUME ["/data"]
USER nonroot:nonroot
# No shell or curl in the image: the binary checks its own readiness (P/readyz).
HEALTHCHECK --interval=30s --timeout=6s --start-period=10s CMD ["/usr/local/bin/portcullis", "health"]
ENTRYPOINT ["/usr/local/bin/portcullis"]
CMD ["serve"]
