"""The zenskar-codegen pipeline: pin an OpenAPI document, prepare it, generate a client and a mock."""
