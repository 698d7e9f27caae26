package dev.mcpforge.engine.train;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/** JNA binding of the parts of {@code libggml-base} the trainer uses: ggml-opt datasets/results and tensor access. */
public interface GgmlOptLibrary extends Library {
    int GGML_TYPE_F32 = 0;
    int GGML_TYPE_I32 = 26;

    Pointer ggml_opt_dataset_init(int typeData, int typeLabel, long neDatapoint, long neLabel, long ndata,
                                  long ndataShard);
    void ggml_opt_dataset_free(Pointer dataset);
    long ggml_opt_dataset_ndata(Pointer dataset);
    Pointer ggml_opt_dataset_data(Pointer dataset);
    Pointer ggml_opt_dataset_labels(Pointer dataset);

    Pointer ggml_opt_result_init();
    void ggml_opt_result_free(Pointer result);
    void ggml_opt_result_reset(Pointer result);
    void ggml_opt_result_ndata(Pointer result, long[] ndata);
    /** Always pass an {@code unc} array: the library writes NAN into it without a null check (G9). */
    void ggml_opt_result_loss(Pointer result, double[] loss, double[] unc);
    void ggml_opt_result_accuracy(Pointer result, double[] accuracy, double[] unc);

    Pointer ggml_get_data(Pointer tensor);
    String ggml_get_name(Pointer tensor);
    long ggml_nbytes(Pointer tensor);
    long ggml_nelements(Pointer tensor);
    void ggml_backend_tensor_memset(Pointer tensor, byte value, long offset, long size);
}
