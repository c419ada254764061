"""The emulator's default catalogue: ComfyUI API-format graphs with 19-digit workflow ids."""

from __future__ import annotations

from typing import Any

from bot.sandbox.rh_catalogue import OutputSpec, Workflow

SDXL_ID = "1904136902449209346"
IMG2IMG_ID = "1904136902449209350"
FAILING_ID = "1904136902449209351"
MULTI_ID = "1904136902449209352"
VIDEO_ID = "1904136902449209353"

OOM_REASON: dict[str, Any] = {
    "node_id": "3",
    "node_name": "KSampler",
    "exception_type": "torch.OutOfMemoryError",
    "exception_message": "CUDA out of memory. Tried to allocate 2.00 GiB",
    "traceback": [
        "Traceback (most recent call last):",
        '  File "/app/ComfyUI/execution.py", line 327, in execute',
        "    output_data = get_output_data(obj, input_data_all)",
        "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB",
    ],
    "current_inputs": {},
    "current_outputs": {},
}


def _node(class_type: str, title: str, **inputs: Any) -> dict[str, Any]:
    return {"class_type": class_type, "inputs": inputs, "_meta": {"title": title}}


def _sdxl(batch_size: int = 1, latent: str = "5", denoise: float = 1.0) -> dict[str, Any]:
    return {
        "3": _node(
            "KSampler",
            "KSampler",
            seed=156680208700286,
            steps=20,
            cfg=8.0,
            sampler_name="euler",
            scheduler="normal",
            denoise=denoise,
            model=["4", 0],
            positive=["6", 0],
            negative=["7", 0],
            latent_image=[latent, 0],
        ),
        "4": _node(
            "CheckpointLoaderSimple", "Load Checkpoint", ckpt_name="sd_xl_base_1.0.safetensors"
        ),
        "5": _node(
            "EmptyLatentImage", "Empty Latent Image", width=512, height=512, batch_size=batch_size
        ),
        "6": _node(
            "CLIPTextEncode", "Positive", text="a glass bottle with a galaxy inside", clip=["4", 1]
        ),
        "7": _node("CLIPTextEncode", "Negative", text="text, watermark, blurry", clip=["4", 1]),
        "8": _node("VAEDecode", "VAE Decode", samples=["3", 0], vae=["4", 2]),
        "9": _node("SaveImage", "Save Image", filename_prefix="ComfyUI", images=["8", 0]),
    }


def _img2img() -> dict[str, Any]:
    graph = _sdxl(latent="11", denoise=0.75)
    del graph["5"]
    graph["10"] = _node("LoadImage", "Load Image", image="example.png")
    graph["11"] = _node("VAEEncode", "VAE Encode", pixels=["10", 0], vae=["4", 2])
    graph["6"]["inputs"]["text"] = "turn it into a watercolor painting"
    return graph


def _multi() -> dict[str, Any]:
    graph = _sdxl(batch_size=2)
    graph["10"] = _node("SaveImage", "Save Preview", filename_prefix="preview", images=["8", 0])
    graph["15"] = _node("ShowText|pysssss", "Caption", text=["6", 0])
    return graph


def _video() -> dict[str, Any]:
    graph = _sdxl()
    del graph["9"]
    graph["20"] = _node(
        "VHS_VideoCombine", "Video Combine", frame_rate=8, format="video/h264-mp4", images=["8", 0]
    )
    return graph


def default_workflows() -> list[Workflow]:
    """A fresh copy of the default catalogue (mutating it never affects another emulator)."""
    return [
        Workflow(SDXL_ID, "SDXL demo", _sdxl(), (OutputSpec("9", "png", per_batch=True),)),
        Workflow(IMG2IMG_ID, "Image to image", _img2img(), (OutputSpec("9", "png"),)),
        Workflow(
            FAILING_ID, "Always out of memory", _sdxl(), (OutputSpec("9", "png"),), OOM_REASON
        ),
        Workflow(
            MULTI_ID,
            "Multi output (3 images + caption)",
            _multi(),
            (
                OutputSpec("9", "png", per_batch=True),
                OutputSpec("10", "png"),
                OutputSpec("15", "txt", text_from=("6", "text")),
            ),
        ),
        Workflow(VIDEO_ID, "Tiny video (fake mp4)", _video(), (OutputSpec("20", "mp4"),)),
    ]
