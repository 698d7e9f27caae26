package dev.mcpforge.engine.worker;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** The JSON mapper of the worker protocol (forge-native does not depend on the plugin's Json class). */
final class WorkerJson {
    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private WorkerJson() {
    }
}
