"""Saving a model: the safetensors file and its checked record, and the ONNX export.

    modelfile      save / load: weights as safetensors, the configuration and history as JSON
    model_record   the checks a file's JSON record must pass against its tensors and limits
    export_onnx    a trained model as an ONNX graph
"""
