/* mkexample.c: writes examples/wukong.pdf, the example paper the README asks questions
 * about: a two-column paper on wukong itself, with a title and abstract across both
 * columns, numbered sections, hyphenated line breaks, a vector figure, a raster figure, a
 * table, a running header, page numbers and an outline.
 *
 * usage: mkexample [OUT.pdf]   (default examples/wukong.pdf) */
#include <stdio.h>
#include <string.h>

#include "../support/mkflow.h"

#define HEADER "WuKong: sparse evidence for questions about long PDFs"

/* Kinds: 1/2 headings, P paragraph, I indented paragraph, F/R/T figures and table. */
static const struct {
	char kind;
	const char *text;
} paper[] = {
	{'1', "1 Introduction"},
	{'P', "People ask questions about long documents: annual reports, manuals, theses and "
	      "papers that run to hundreds of pages. A language model that reads the whole "
	      "document for every question is slow and expen|sive, and its answer is hard to "
	      "check. WuKong takes another route. It parses a PDF once into evidence units, "
	      "keeps only the few units a question needs, and answers from them with "
	      "citations that point at pages and boxes a reader can open."},
	{'I', "This paper describes wukong, a C implementation of the PDF-WuKong approach that "
	      "runs on an ordinary CPU. It needs no graphics card and no network to answer: "
	      "the default answer is extractive, a sentence taken verbatim from the selected "
	      "evi|dence, and a language model can be plugged in through any server that "
	      "speaks the OpenAI chat completions protocol."},
	{'I', "Our contributions are a parser that rebuilds para|graphs, headings, figures and "
	      "tables from MuPDF at the speed of raw text extraction, a sparse sampler that "
	      "selects evidence under a strict token budget, and a library that stores parsed "
	      "documents in SQLite so that questions across many documents stay fast."},
	{'1', "2 System Overview"},
	{'P', "Figure 1 shows the pipeline. The parser turns a PDF into units in reading order. "
	      "An index of term statistics is built once per document. For every question the "
	      "sampler scores the units and keeps the best ones under the budget, and the "
	      "answerer writes an answer that cites them."},
	{'F', "Figure 1: The wukong pipeline: parse once, then index, sample and answer for every question."},
	{'2', "2.1 Parsing PDFs into evidence units"},
	{'P', "An evidence unit is a paragraph, a heading, a figure or a table. Every unit carries "
	      "its page, one box per page it spans, the path of the section it belongs to, such "
	      "as 2 System Overview > 2.1 Parsing, and its text. Figures and tables also carry "
	      "their label, their caption, the words printed inside them and, on request, a "
	      "PNG crop rendered at 150 dots per inch."},
	{'I', "MuPDF gives characters, lines and blocks, but its blocks are not para|graphs: they "
	      "merge headings with body text and split para|graphs at column breaks. The parser "
	      "therefore rebuilds para|graphs from lines. It finds columns from the gutters "
	      "that no line crosses, reads each band of the page column by column, and breaks "
	      "para|graphs at vertical gaps, font changes, indents and short last lines. "
	      "Running headers, footers and page numbers are recognised because they repeat "
	      "at the same place on many pages, and they are removed."},
	{'I', "Hyphenated line breaks are joined by the parser itself. A word such as evi|dence "
	      "that was split across two lines is joined again, while compounds such as "
	      "state-of-the-art keep their hyphens, because the parser checks how the document "
	      "spells each word elsewhere."},
	{'2', "2.2 Sparse sampling"},
	{'P', "The sampler is the heart of the system. Given a question, it scores every unit with "
	      "a lexical model that rewards rare question terms, matches in headings and "
	      "captions, and units near other good units. It then keeps the best units until "
	      "the token budget is spent."},
	{'I', "By default the sampler keeps at most 2048 tokens of evidence per question; the "
	      "--budget option changes this limit, and it can never be set below 16 tokens. "
	      "Tokens are counted with one rule everywhere: 1.3 tokens per word, rounded up. "
	      "A long unit that would not fit is cut down to its best passage rather than "
	      "dropped, so a single long para|graph cannot exhaust the budget."},
	{'2', "2.3 Answering with citations"},
	{'P', "The extractive answerer picks the sentence of the selected evidence that best "
	      "matches the question and cites the unit it came from. When a model server is "
	      "configured, the selected units are sent to it as numbered evidence and the model "
	      "is asked to cite the numbers it used. If the server fails, wukong can fall back "
	      "to the extractive answer."},
	{'2', "2.4 Figures and tables"},
	{'P', "Questions often ask about a number in a table or a curve in a chart, so figures and "
	      "tables are first-class units. The parser finds their captions, such as Figure 3 or "
	      "TABLE II, and builds the region of each figure from the vector paths, the images "
	      "and the words printed next to its caption. The words inside the region, such as "
	      "axis labels and table cells, become the figure text of the unit and are kept out "
	      "of the para|graphs around it."},
	{'I', "Paragraphs that mention a figure or a table, for example with Fig. 3 or Table 1, are "
	      "linked to it: every figure and table unit lists the units that refer to it. The "
	      "sampler uses these links to bring a figure along with the para|graph that "
	      "explains it, and the reverse."},
	{'1', "3 Implementation"},
	{'P', "wukong is written in C11 and built with make. It links MuPDF for PDF parsing and "
	      "rendering, SQLite for the library, jansson for JSON, libcurl for model servers "
	      "and libmicrohttpd for the web server. The whole program is free software under "
	      "the GNU Affero General Public License."},
	{'2', "3.1 Parser"},
	{'P', "Pages are parsed in parallel with the --threads option: each thread has its own "
	      "MuPDF context and its own copy of the document, and the results are assembled in "
	      "page order, so the output is the same for any number of threads. A page that "
	      "fails is reported and skipped. Limits protect the machine from hostile files: a "
	      "maximum number of pages, a timeout for the whole document and a cap on the memory "
	      "MuPDF may use. Table 1 lists the defaults."},
	{'T', "Table 1: Default limits and settings of wukong and the options that change them."},
	{'I', "Pages are processed and released one at a time, and only their units are kept for "
	      "the document pass that joins para|graphs across columns and pages. Memory "
	      "therefore grows with the text of a document, not with its pages or images."},
	{'2', "3.2 Library and server"},
	{'P', "The command wukong add stores parsed documents in a SQLite library, keyed by the "
	      "hash of their content, so that moving a file does not parse it again. Questions "
	      "across the library rank the documents first and then the units, under one "
	      "budget. The command wukong serve offers the same over HTTP with a small web "
	      "page that shows the answer next to the cited page."},
	{'2', "3.3 Bad input"},
	{'P', "A missing file, a file that is not a PDF, an encrypted PDF without its password, a "
	      "damaged PDF and a PDF without a text layer all end with a one-line message that "
	      "names the file and the reason, and with exit status 2. Pages without text can be "
	      "read with Tesseract when optical character recog|ni|tion is enabled; the units "
	      "that come from it are marked, because their text is less reliable."},
	{'2', "3.4 Command line"},
	{'P', "Everything is available from one command. wukong parse prints the units of a PDF as "
	      "text or as JSON, optionally with PNG crops of its figures and tables. wukong ask "
	      "answers a question about one PDF or about the whole library and prints the "
	      "answer with its citations; with --json it also prints the selected evidence, "
	      "the score of every unit and the time spent in each stage. wukong eval runs a "
	      "benchmark of questions and reports recall, accuracy and tokens."},
	{'I', "Parsed documents are cached under the user's cache folder, keyed by the hash of the "
	      "file and by the options that change the result, so asking a second question about "
	      "the same PDF does not parse it again. The cache is rebuilt automatically when a "
	      "newer version of the parser produces different units."},
	{'I', "Exit statuses are the same for every command: 0 for success, 1 when some inputs "
	      "failed and the others were processed, 2 for bad input such as a damaged file or an "
	      "empty question, 3 when the language model server failed, and 4 for problems of "
	      "the environment such as a full disk or a broken database."},
	{'R', "Figure 2: A figure crop as written by wukong parse --figures, here a colour gradient."},
	{'1', "4 Evaluation"},
	{'P', "We evaluate wukong on the MMLongBench-Doc questions. The main measure is evidence "
	      "recall: the share of questions for which the selected units include a page that "
	      "the benchmark marks as evidence. The command wukong eval computes it, together "
	      "with the answer accuracy when a model is used, and reports the tokens spent per "
	      "question against the tokens of the whole document."},
	{'I', "Speed is measured by the benchmark scripts under the bench folder, which compare "
	      "the parser with MuPDF's own text extraction on the same files in the same run and "
	      "print the ratio. The numbers depend on the machine, so the scripts are part of "
	      "the source code rather than of this paper."},
	{'2', "4.1 Evidence recall"},
	{'P', "Evidence recall depends on the budget. A small budget keeps only the best unit or "
	      "two, which is enough for questions whose answer sits in one sentence, but not for "
	      "questions that combine facts from several pages. A larger budget raises recall "
	      "and also the cost of every answer produced by a model. The default of 2048 tokens "
	      "is a compromise: it holds a handful of para|graphs and a table or two, which is "
	      "still a small fraction of a long document."},
	{'I', "Questions about figures and tables are the hardest for a lexical sampler, because "
	      "their words are few and often abbreviated. Captions help, and so does the text "
	      "printed inside a figure, but a chart without labels remains hard to find by its "
	      "words alone."},
	{'2', "4.2 Parsing speed"},
	{'P', "Parsing must not be the bottleneck: a library of a few thousand documents is parsed "
	      "once, and a new upload should be searchable within seconds. The parser runs "
	      "MuPDF's text extraction and a second pass over the drawing commands of pages "
	      "with captions, then spends a small amount of time on layout analysis. With two "
	      "threads on two cores, it reaches the throughput of plain text extraction."},
	{'1', "5 Related Work"},
	{'P', "PDF-WuKong introduced sparse sampling for long multimodal documents: it encodes "
	      "text para|graphs and figures, selects the most relevant ones for a question and "
	      "feeds only those to a multimodal model. Its parser used GROBID for text and "
	      "pdffigures2 for figures. Retrieval augmented generation follows the same idea "
	      "with dense vectors. wukong keeps the sampling but replaces the heavy parts with "
	      "a fast C parser and a lexical scorer, so that it runs on a laptop."},
	{'1', "6 Limitations"},
	{'P', "The parser relies on the text layer of a PDF. Scanned pages depend on OCR, whose "
	      "errors reach the sampler. Layouts with more than a few columns, text in irregular "
	      "shapes, and tables without rules or aligned cells are harder to read in the right "
	      "order. The lexical sampler does not know synonyms: a question that uses other "
	      "words than the document may miss its evidence, which is why the sampler also "
	      "scores section titles and neigh|bour|ing units."},
	{'1', "7 Conclusion"},
	{'P', "wukong answers questions about long PDFs by reading only the evidence it needs. "
	      "Its parser rebuilds the structure of a document at the speed of text extraction, "
	      "its sampler keeps a few hundred to a few thousand tokens, and every answer cites "
	      "the pages it came from. The source code, the tests and the benchmarks are "
	      "available with this paper."},
	{'1', "References"},
	{'P', "[1] PDF-WuKong: A large multimodal model for efficient long PDF reading with "
	      "end-to-end sparse sampling. arXiv:2410.05970, 2024."},
	{'P', "[2] MuPDF: a lightweight PDF, XPS and e-book library. Artifex Software."},
	{'P', "[3] GROBID: machine learning software for extracting information from scholarly "
	      "documents."},
	{'P', "[4] C. Clark and S. Divvala. PDFFigures 2.0: mining figures from research papers. "
	      "JCDL 2016."},
};

/* A caption in two lines when it does not fit the column. */
static void caption_lines(mk_flow *f, float x, float y, const char *caption)
{
	char first[160];
	size_t n = strlen(caption);
	while (n > 0 && mk_text_width(f->pdf, "Times-Roman", 9, (snprintf(first, sizeof first, "%.*s", (int)n, caption), first)) > mk_flow_col_w(f))
		while (--n > 0 && caption[n] != ' ')
			;
	snprintf(first, sizeof first, "%.*s", (int)n, caption);
	mk_text(f->pdf, "Times-Roman", 9, x, y, first);
	if (caption[n])
		mk_text(f->pdf, "Times-Roman", 9, x, y + 11, caption + n + 1);
}

static void pipeline_figure(mk_flow *f, const char *caption)
{
	float top = mk_flow_reserve(f, 96);
	float x = mk_flow_col_x(f), w = mk_flow_col_w(f);
	static const char *const stages[] = {"parse", "index", "sample", "answer"};
	float bw = (w - 30) / 4;
	for (int i = 0; i < 4; i++) {
		float bx = x + (float)i * (bw + 10);
		mk_rect(f->pdf, bx, top + 14, bw, 28, 0);
		mk_text(f->pdf, "Helvetica", 7, bx + 6, top + 31, stages[i]);
		if (i < 3)
			mk_line(f->pdf, bx + bw, top + 28, bx + bw + 10, top + 28);
	}
	mk_text(f->pdf, "Helvetica", 6, x + 4, top + 54, "PDF");
	mk_text(f->pdf, "Helvetica", 6, x + w - 40, top + 54, "cited answer");
	caption_lines(f, x, top + 72, caption);
}

static void raster_figure(mk_flow *f, const char *caption)
{
	float top = mk_flow_reserve(f, 118);
	float x = mk_flow_col_x(f), w = mk_flow_col_w(f);
	mk_image(f->pdf, x + 30, top, w - 60, 84, 96, 48);
	caption_lines(f, x, top + 98, caption);
}

static void defaults_table(mk_flow *f, const char *caption)
{
	static const char *const cells[][3] = {
		{"Setting", "Default", "Option"},       {"Token budget", "2048", "--budget"},
		{"Crop resolution", "150 dpi", "--dpi"}, {"Threads", "1", "--threads"},
		{"Timeout", "600 s", "--timeout"},       {"Maximum pages", "10000", "--max-pages"},
		{"Memory cap", "2048 MB", "--max-memory"}};
	int rows = (int)(sizeof cells / sizeof cells[0]);
	float top = mk_flow_reserve(f, 26 + 13 * (float)rows);
	float x = mk_flow_col_x(f), w = mk_flow_col_w(f);
	/* Caption above the table, as in most papers. */
	mk_text(f->pdf, "Times-Roman", 9, x, top + 9, "Table 1: Default limits and settings of wukong");
	mk_text(f->pdf, "Times-Roman", 9, x, top + 20, "and the options that change them.");
	float t = top + 26, cx[3] = {x + 4, x + 0.45f * w, x + 0.7f * w};
	mk_line(f->pdf, x, t, x + w, t);
	mk_line(f->pdf, x, t + 13, x + w, t + 13);
	mk_line(f->pdf, x, t + 13 * (float)rows, x + w, t + 13 * (float)rows);
	for (int r = 0; r < rows; r++)
		for (int c = 0; c < 3; c++)
			mk_text(f->pdf, r == 0 ? "Times-Bold" : "Times-Roman", 8.5f, cx[c],
			        t + 13 * (float)r + 9.5f, cells[r][c]);
	(void)caption;
}

static void title_block(mk_flow *f)
{
	mk_flow_banner(f, "Times-Bold", 17, "WuKong: Sparse Evidence Sampling for Questions");
	mk_flow_banner(f, "Times-Bold", 17, "about Long PDFs on an Ordinary CPU");
	f->y += 4;
	mk_flow_banner(f, "Times-Roman", 11, "The wukong authors");
	mk_flow_banner(f, "Times-Italic", 10, "Free software under the GNU AGPL, version 3 or later");
	f->y += 8;
	mk_flow_banner(f, "Times-Bold", 11, "Abstract");
	f->left += 36, f->right += 36;
	mk_flow_wide_para(f, "Long PDFs hold the answers to many questions, but reading all of a "
	                     "document for each question is slow. WuKong parses a PDF once into "
	                     "evidence units (paragraphs, headings, figures and tables), selects the "
	                     "few units a question needs under a token budget, and answers with "
	                     "citations to pages and boxes. This paper describes its parser, its "
	                     "sparse sampler and its answerer, which run on a CPU without a network.");
	f->left -= 36, f->right -= 36;
	mk_flow_start_columns(f, 18);
}

int main(int argc, char **argv)
{
	const char *out = argc > 1 ? argv[1] : "examples/wukong.pdf";
	if (argc > 2 || out[0] == '-') { /* "--help" is no file name to write to */
		fprintf(stderr, "usage: mkexample [OUT.pdf]   (default examples/wukong.pdf)\n");
		return 2;
	}
	mk_pdf *pdf = mk_new();
	mk_flow f;
	mk_flow_init(&f, pdf, 2, HEADER);
	f.top = 72, f.bottom = 72, f.left = f.right = 72;
	f.leading = 13;
	f.y = f.col_top = f.top;
	title_block(&f);
	struct { const char *title; int page; } outline[32];
	int nout = 0;
	for (size_t i = 0; i < sizeof paper / sizeof paper[0]; i++) {
		const char *t = paper[i].text;
		switch (paper[i].kind) {
		case '1': mk_flow_heading(&f, "Times-Bold", 12, t); break;
		case '2': mk_flow_heading(&f, "Times-Bold", 10, t); break;
		case 'P': mk_flow_para(&f, t, 0); break;
		case 'I': mk_flow_para(&f, t, 1); break;
		case 'F': pipeline_figure(&f, t); break;
		case 'R': raster_figure(&f, t); break;
		case 'T': defaults_table(&f, t); break;
		}
		if ((paper[i].kind == '1' || paper[i].kind == '2') && nout < 32)
			outline[nout].title = t, outline[nout++].page = f.page;
	}
	for (int i = 0; i < nout; i++)
		mk_outline(pdf, outline[i].title, outline[i].page);
	mk_save(pdf, out, NULL);
	fprintf(stderr, "mkexample: %s: %d pages, %d hyphenated breaks\n", out, f.page, f.hyphens);
	return 0;
}
