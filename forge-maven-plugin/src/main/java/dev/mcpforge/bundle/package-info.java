/**
 * The Agent Bundle: the seed's §3.5 tree ({@code model.gguf, tools.json, prompt_template.json, agent.yaml,
 * tests/validation.json, README.md, Modelfile}), its manifest ({@code agent.yaml}, the seed's §5.6 plus the sha256
 * of every other file and a format version), the reproducible zip that is the Maven artifact, and the verifier
 * (the seed's {@code verify-bundle}: hashes, schemas, prompt template, GGUF, smoke-test file, schema drift).
 *
 * <p>Plain services: no Maven types. {@link dev.mcpforge.bundle.BundleService} writes a bundle,
 * {@link dev.mcpforge.bundle.VerifyService} checks one (a directory or a zip, opened with
 * {@link dev.mcpforge.bundle.SafeUnzip}, which refuses path-traversal entries before writing anything).
 */
package dev.mcpforge.bundle;
