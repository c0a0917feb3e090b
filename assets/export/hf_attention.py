#!/usr/bin/env python3
"""Export a Hugging Face transformer's attention weights for Attention Lab (File -> Import attention).

Runs one text through the model with output_attentions=True and writes NAME.npz holding
  attention.npy  float32, shape (layers, heads, n, n): row i is where token i looked, rows sum to 1
  tokens.npy     the n tokens as the model's tokenizer split them

Needs Python 3 with numpy, torch and transformers, on a machine that has (or may download) the model:
  python3 hf_attention.py --model gpt2 --text "The animal didn't cross the street because it was too tired" \
      --out gpt2-animal.npz
  python3 hf_attention.py --model bert-base-uncased --text "..." --out bert-animal.npz
Attention Lab reads up to 2,048 tokens, 96 layers and 128 heads (README, "Importing attention").
"""
import argparse
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="a model name or a local folder (AutoModel)")
    parser.add_argument("--text", required=True, help="the text to run through the model")
    parser.add_argument("--out", required=True, help="the .npz file to write")
    args = parser.parse_args()

    import numpy as np
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(args.model)
    try:  # fused attention kernels do not return their weights: ask for the plain implementation
        model = AutoModel.from_pretrained(args.model, attn_implementation="eager")
    except (TypeError, ValueError):
        model = AutoModel.from_pretrained(args.model)
    model.eval()

    encoded = tokenizer(args.text, return_tensors="pt")
    n = encoded["input_ids"].shape[1]
    if n > 2048:
        sys.exit(f"{n} tokens: Attention Lab imports at most 2048; shorten the text")
    with torch.no_grad():
        output = model(**encoded, output_attentions=True)
    if not output.attentions:
        sys.exit("this model returned no attention weights")
    # one (batch, heads, n, n) tensor per layer -> (layers, heads, n, n) for the single text
    attention = torch.stack([a[0] for a in output.attentions]).float().cpu().numpy()
    tokens = tokenizer.convert_ids_to_tokens(encoded["input_ids"][0].tolist())
    np.savez_compressed(args.out, attention=attention.astype(np.float32), tokens=np.array(tokens))
    layers, heads = attention.shape[0], attention.shape[1]
    print(f"wrote {args.out}: {layers} layers x {heads} heads x {n} tokens")


if __name__ == "__main__":
    main()
