/** The fixed query set of bench/search.ts: broad topics, narrow ones, and how people actually ask. */
export const QUERIES = {
  broad: [
    "compression",
    "information bottleneck",
    "large language model inference",
    "efficient training",
    "deep neural networks",
  ],
  narrow: [
    "gumbel softmax concept bottleneck",
    "kv cache compression",
    "bird eye view depth",
    "straggler mitigation gradient coding",
  ],
  natural: ["papers about making LLM inference faster", "transfromer compresion"],
};
