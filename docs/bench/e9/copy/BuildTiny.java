import dev.mcpforge.engine.tiny.*;
import dev.mcpforge.engine.chat.ChatTemplates;
import java.nio.file.*;
import tools.jackson.databind.*;
/** BuildTiny train-texts.jsonl out.gguf profile [-Dvocab=2048] [-Dtied=true] [-Dcopy=1.0] [-Destd=1.0] */
public class BuildTiny {
    public static void main(String[] a) throws Exception {
        ObjectMapper m = new ObjectMapper();
        StringBuilder corpus = new StringBuilder();
        for (String l : Files.readAllLines(Path.of(a[0]))) corpus.append(m.readTree(l).get("text").asString()).append('\n');
        var r = new TinyModelBuilder().profile(TinyProfile.parse(a[2])).vocabSize(Integer.getInteger("vocab", 2048)).seed(42).contextLength(2560).corpus(corpus.toString())
            .chatTemplate(ChatTemplates.CHATML_TOOL_NAMES).embeddingStd(Float.parseFloat(System.getProperty("estd", "1.0")))
            .tiedEmbeddings(Boolean.getBoolean("tied")).copyInit(Float.parseFloat(System.getProperty("copy", "0"))).build(Path.of(a[1]));
        System.out.println("vocab " + r.vocabulary().size());
    }
}
