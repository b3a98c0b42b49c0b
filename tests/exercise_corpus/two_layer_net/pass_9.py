# expect: pass
# why: pinyin names and Chinese comments, the textbook algebra
import numpy as np


def loss_and_gradients(params, x, y):
    quanzhong1, pianzhi1 = params["W1"], params["b1"]    # 第一层的权重和偏置
    quanzhong2, pianzhi2 = params["W2"], params["b2"]    # 第二层
    yangben_shu = x.shape[0]                              # 样本数
    yincang_shuru = np.dot(x, quanzhong1) + pianzhi1      # 隐藏层的输入
    yincang = np.maximum(0, yincang_shuru)                # ReLU
    shuchu = np.dot(yincang, quanzhong2) + pianzhi2       # 输出层得分
    shuchu = shuchu - np.max(shuchu, axis=1, keepdims=True)   # 防止溢出
    gailv = np.exp(shuchu) / np.sum(np.exp(shuchu), axis=1, keepdims=True)
    sunshi = -np.sum(np.log(gailv[np.arange(yangben_shu), y] + 1e-10)) / yangben_shu
    wucha2 = gailv.copy()
    wucha2[np.arange(yangben_shu), y] -= 1
    wucha2 = wucha2 / yangben_shu                          # 输出层的误差 δ2
    wucha1 = np.dot(wucha2, quanzhong2.T) * (yincang_shuru > 0)   # 反向传到隐藏层 δ1
    tidu = {
        "W1": np.dot(x.T, wucha1), "b1": np.sum(wucha1, axis=0),
        "W2": np.dot(yincang.T, wucha2), "b2": np.sum(wucha2, axis=0),
    }
    return sunshi, tidu
