import type { Paper } from "../paper.js";

/** Where to read a paper: abstract, PDF, its Hugging Face page, code (with stars), project page. */
export function paperLinks(paper: Paper): { label: string; url: string }[] {
  const arxiv = paper.id.startsWith("t:") ? null : paper.id;
  const links: { label: string; url: string | null }[] = [
    { label: "Abstract", url: paper.absUrl ?? (arxiv ? `https://arxiv.org/abs/${arxiv}` : null) },
    { label: "PDF", url: paper.pdfUrl ?? (arxiv ? `https://arxiv.org/pdf/${arxiv}` : null) },
    { label: "HF page", url: paper.hfUrl ?? (arxiv ? `https://huggingface.co/papers/${arxiv}` : null) },
    {
      label: paper.githubStars ? `Code ★ ${paper.githubStars.toLocaleString("en-US")}` : "Code",
      url: paper.codeUrl,
    },
    { label: "Project", url: paper.projectUrl },
  ];
  return links.filter((l): l is { label: string; url: string } => Boolean(l.url));
}
