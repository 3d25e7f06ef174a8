/* calc.c: answers computed from values the document prints in its tables: well-known
 * financial ratios ("return on assets", "days payable outstanding"), the ratio of two
 * named line items ("sales to working capital ratio"), each operand read from the row
 * that carries the line item's standard accounting name, in the column of the year asked.
 * The answer is never a guess: the quote shows the computation with the cells as printed
 * ("Revenues 6,779,511 / Working capital 1,902,216 = 3.564 (2015)").
 *
 * The definitions are textbook accounting, not any document's words: a line item is
 * known by the names financial statements print it under (revenue: "total net sales",
 * "revenues", ...), a ratio by its usual definition (turnover and "days" ratios over the
 * average of the year's opening and closing balance, as analysts compute them). */
#include "reader.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum item {
	IT_NONE = 0,
	IT_REVENUE,
	IT_COGS,
	IT_GROSS,
	IT_OPINC,
	IT_NETINC,
	IT_ASSETS,
	IT_CUR_ASSETS,
	IT_CUR_LIAB,
	IT_LIAB,
	IT_EQUITY,
	IT_PPE,
	IT_AP,
	IT_AR,
	IT_INVENTORY,
	IT_INTEREST,
	IT_PRETAX,
	IT_TAX,
	IT_DA,
	IT_CAPEX,
	IT_RND,
	IT_CASH,
	IT_OCF,
	IT_LTDEBT,
	IT_WC,
	IT_EBITDA,
	IT_LT_LIAB,
	IT_NITEMS
} item;

/* Row labels of each line item, normalised (see norm_label), preferred names first. */
static const struct {
	item it;
	const char *name;
} row_names[] = {
    {IT_REVENUE, "total net sales"}, {IT_REVENUE, "total net revenues"},
    {IT_REVENUE, "total revenues"}, {IT_REVENUE, "total revenue"}, {IT_REVENUE, "net sales"},
    {IT_REVENUE, "net revenues"}, {IT_REVENUE, "net revenue"}, {IT_REVENUE, "revenues"},
    {IT_REVENUE, "revenue"}, {IT_REVENUE, "total sales"}, {IT_REVENUE, "sales"},
    {IT_COGS, "cost of sales"}, {IT_COGS, "cost of revenues"}, {IT_COGS, "cost of revenue"},
    {IT_COGS, "total cost of revenues"}, {IT_COGS, "cost of goods sold"},
    {IT_COGS, "cost of products sold"}, {IT_COGS, "merchandise costs"},
    {IT_GROSS, "gross profit"}, {IT_GROSS, "gross margin"},
    {IT_OPINC, "operating income"}, {IT_OPINC, "income from operations"},
    {IT_OPINC, "operating profit"}, {IT_OPINC, "total operating income"},
    {IT_NETINC, "net income"}, {IT_NETINC, "net earnings"},
    {IT_NETINC, "net income attributable to common stockholders"},
    {IT_ASSETS, "total assets"}, {IT_CUR_ASSETS, "total current assets"},
    {IT_CUR_LIAB, "total current liabilities"}, {IT_LIAB, "total liabilities"},
    {IT_EQUITY, "total stockholders equity"}, {IT_EQUITY, "total shareholders equity"},
    {IT_EQUITY, "total equity"}, {IT_EQUITY, "stockholders equity"},
    {IT_EQUITY, "shareholders equity"},
    {IT_PPE, "property and equipment net"}, {IT_PPE, "property plant and equipment net"},
    {IT_PPE, "net property and equipment"}, {IT_PPE, "net property plant and equipment"},
    {IT_PPE, "total property and equipment net"},
    {IT_AP, "accounts payable"}, {IT_AP, "trade accounts payable"},
    {IT_AR, "accounts receivable net"}, {IT_AR, "accounts receivable"},
    {IT_AR, "receivables net"}, {IT_AR, "trade receivables net"},
    {IT_INVENTORY, "inventories"}, {IT_INVENTORY, "merchandise inventories"},
    {IT_INVENTORY, "inventory"},
    {IT_INTEREST, "interest expense"}, {IT_INTEREST, "interest expense net"},
    {IT_PRETAX, "income before income taxes"},
    {IT_PRETAX, "income before provision for income taxes"},
    {IT_PRETAX, "earnings before income taxes"}, {IT_PRETAX, "income before income tax expense"}, {IT_PRETAX, "income before taxes"},
    {IT_TAX, "provision for income taxes"}, {IT_TAX, "income tax expense"},
    {IT_TAX, "provision for taxes"}, {IT_TAX, "income tax provision"},
    {IT_TAX, "income taxes"},
    {IT_DA, "depreciation and amortization"}, {IT_DA, "depreciation and amortization expense"},
    {IT_CAPEX, "purchases of property and equipment"},
    {IT_CAPEX, "purchases of property plant and equipment"},
    {IT_CAPEX, "capital expenditures"}, {IT_CAPEX, "payments for property and equipment"},
    {IT_CAPEX, "capital spending"},
    {IT_RND, "research and development"}, {IT_RND, "research and development expense"},
    {IT_RND, "product development"}, {IT_RND, "technology and development"},
    {IT_CASH, "cash and cash equivalents"}, {IT_CASH, "cash and equivalents"},
    {IT_OCF, "net cash provided by operating activities"},
    {IT_OCF, "net cash from operating activities"},
    {IT_OCF, "cash provided by operating activities"},
    {IT_OCF, "net cash provided by operations"},
    {IT_LTDEBT, "long term debt"}, {IT_LTDEBT, "long term debt excluding current portion"},
    {IT_LTDEBT, "long term debt net of current portion"},
    {IT_LTDEBT, "long term debt less current portion"},
    {IT_WC, "working capital"},
    {IT_LT_LIAB, "total long term liabilities"}, {IT_LT_LIAB, "total noncurrent liabilities"},
    {IT_LT_LIAB, "total non current liabilities"},
};

/* Line items computed from others when no row prints them. */
static const struct {
	item it, a, b;
	int sign; /* a + sign * b */
} composites[] = {
    {IT_WC, IT_CUR_ASSETS, IT_CUR_LIAB, -1},
    {IT_EBITDA, IT_OPINC, IT_DA, +1},
    {IT_GROSS, IT_REVENUE, IT_COGS, -1},
    {IT_LIAB, IT_ASSETS, IT_EQUITY, -1}, /* balance sheets without a total of liabilities */
    {IT_LT_LIAB, IT_LIAB, IT_CUR_LIAB, -1},
};

/* Costs and outflows: printed as "(848)" in some statements, a magnitude in a ratio. A
 * row that prints them negative is a second choice (a deferred-tax "Depreciation and
 * amortization" line is not the expense). */
static int magnitude_item(item it)
{
	return it == IT_COGS || it == IT_INTEREST || it == IT_TAX || it == IT_DA ||
	       it == IT_CAPEX || it == IT_RND;
}

/* How questions name line items (lower case, hyphens as spaces), the more specific
 * phrase first: "current liabilities" before "liabilities". */
static const struct {
	const char *phrase;
	item it;
} asked_names[] = {
    {"working capital", IT_WC}, {"ebitda", IT_EBITDA},
    {"operating cash flow", IT_OCF}, {"cash flow from operations", IT_OCF},
    {"cash from operations", IT_OCF}, {"cash flow from operating", IT_OCF},
    {"cost of goods sold", IT_COGS}, {"cost of sales", IT_COGS}, {"cost of revenue", IT_COGS},
    {"cogs", IT_COGS}, {"gross profit", IT_GROSS},
    {"operating income", IT_OPINC}, {"operating profit", IT_OPINC},
    {"net income", IT_NETINC}, {"net earnings", IT_NETINC}, {"net profit", IT_NETINC},
    {"fixed asset", IT_PPE}, {"property and equipment", IT_PPE},
    {"current asset", IT_CUR_ASSETS}, {"total asset", IT_ASSETS}, {"asset", IT_ASSETS},
    {"current liabilit", IT_CUR_LIAB}, {"long term liabilit", IT_LT_LIAB},
    {"noncurrent liabilit", IT_LT_LIAB}, {"non current liabilit", IT_LT_LIAB},
    {"total liabilit", IT_LIAB}, {"liabilit", IT_LIAB},
    {"stockholder", IT_EQUITY}, {"shareholder", IT_EQUITY}, {"equity", IT_EQUITY},
    {"net sales", IT_REVENUE}, {"revenue", IT_REVENUE}, {"sales", IT_REVENUE},
    {"r&d", IT_RND}, {"research and development", IT_RND},
    {"cash balance", IT_CASH}, {"cash and cash equivalents", IT_CASH}, {"cash", IT_CASH},
    {"long term debt", IT_LTDEBT}, {"capex", IT_CAPEX}, {"capital expenditure", IT_CAPEX},
    {"interest expense", IT_INTEREST}, {"inventor", IT_INVENTORY},
    {"accounts payable", IT_AP}, {"payable", IT_AP}, {"receivable", IT_AR},
    {"depreciation", IT_DA}, {"income tax", IT_TAX}, {"tax expense", IT_TAX},
};

/* Ratios known by name. `average`: the balance-sheet operand (1 numerator, 2
 * denominator) is the mean of the year's opening and closing balance. `times`: days. */
static const struct {
	const char *phrase;
	item num, den;
	int average;
	double times;
	int percent; /* printed as a percentage when the question asks no form */
} named[] = {
    {"return on asset", IT_NETINC, IT_ASSETS, 0, 1, 1},
    {"roa", IT_NETINC, IT_ASSETS, 0, 1, 1},
    {"return on equity", IT_NETINC, IT_EQUITY, 0, 1, 1},
    {"roe", IT_NETINC, IT_EQUITY, 0, 1, 1},
    {"effective tax rate", IT_TAX, IT_PRETAX, 0, 1, 1},
    {"ebitda margin", IT_EBITDA, IT_REVENUE, 0, 1, 1},
    {"ebitda % margin", IT_EBITDA, IT_REVENUE, 0, 1, 1},
    {"gross margin", IT_GROSS, IT_REVENUE, 0, 1, 1},
    {"gross profit margin", IT_GROSS, IT_REVENUE, 0, 1, 1},
    {"operating margin", IT_OPINC, IT_REVENUE, 0, 1, 1},
    {"operating profit margin", IT_OPINC, IT_REVENUE, 0, 1, 1},
    {"operating income margin", IT_OPINC, IT_REVENUE, 0, 1, 1},
    {"net profit margin", IT_NETINC, IT_REVENUE, 0, 1, 1},
    {"net margin", IT_NETINC, IT_REVENUE, 0, 1, 1},
    {"current ratio", IT_CUR_ASSETS, IT_CUR_LIAB, 0, 1, 0},
    {"fixed asset turnover", IT_REVENUE, IT_PPE, 2, 1, 0},
    {"total asset turnover", IT_REVENUE, IT_ASSETS, 2, 1, 0},
    {"asset turnover", IT_REVENUE, IT_ASSETS, 2, 1, 0},
    {"inventory turnover", IT_COGS, IT_INVENTORY, 2, 1, 0},
    {"receivable turnover", IT_REVENUE, IT_AR, 2, 1, 0},
    {"receivables turnover", IT_REVENUE, IT_AR, 2, 1, 0},
    {"payable turnover", IT_COGS, IT_AP, 2, 1, 0},
    {"payables turnover", IT_COGS, IT_AP, 2, 1, 0},
    {"days payable outstanding", IT_AP, IT_COGS, 1, 365, 0},
    {"days payables outstanding", IT_AP, IT_COGS, 1, 365, 0},
    {"days sales outstanding", IT_AR, IT_REVENUE, 1, 365, 0},
    {"days inventory outstanding", IT_INVENTORY, IT_COGS, 1, 365, 0},
    {"days sales of inventory", IT_INVENTORY, IT_COGS, 1, 365, 0},
    {"interest coverage", IT_OPINC, IT_INTEREST, 0, 1, 0},
};

#define QUALIFIED_RANK 1000 /* rank added to a name followed by a qualifier */
#define NEGATIVE_RANK 2000  /* rank added to a cost printed negative */
#define MAX_FOUND 256 /* rows read for one line item */
#define MAX_SHOWN 160 /* an operand as the quote prints it */

/* One operand as read: its value, where, and how the quote shows it. */
typedef struct operand {
	double v;
	int year;               /* the column's year, 0 when the table has none */
	int item;               /* selection item, -1 when read elsewhere in the document */
	int page;
	char shown[MAX_SHOWN];  /* "Total assets 131,310" */
	char cell[48];          /* the value cell as printed ("$ (1,577)") */
	const char *ls, *le;    /* its row as printed, in the source's text */
} operand;

typedef struct calc_ctx {
	const rd_question *q;
	const wk_doc *doc;
	const wk_selection *sel;
	int *order;     /* selection items, best scored first */
	char **texts;   /* the document's table texts, built on first need */
	int *units, ntexts;
	/* per source (selection items, then the document's tables), found once: */
	int (*heads)[RD_MAX_CELLS];
	int *nheads;    /* -1 until found */
	int *known;     /* known_items, -1 until counted */
} calc_ctx;

/* Lower case, parenthesised words and punctuation dropped, hyphens and slashes as
 * spaces: "Property and equipment, net (1)" -> "property and equipment net". */
static void norm_label(const char *s, const char *e, char *out, size_t cap)
{
	size_t n = 0;
	int depth = 0, space = 0;
	for (const char *p = s; p < e && n + 2 < cap; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '(' || c == ')') {
			depth += c == '(' ? 1 : depth > 0 ? -1 : 0;
			space = 1;
			continue;
		}
		if (depth)
			continue;
		if (isalnum(c) || c == '&') {
			if (space && n > 0)
				out[n++] = ' ';
			out[n++] = (char)tolower(c);
			space = 0;
		} else if (c == ' ' || c == '-' || c == '/' || c == ',' || c == ':') {
			space = 1;
		}
	}
	out[n] = '\0';
}

/* Whether the words before `end` end with a word that links them to what follows
 * ("Income before | provision for income taxes") or makes it another item ("Other |
 * long-term debt"): then they are not a parent row's label. */
static int linking_word(const char *label, size_t end)
{
	static const char *const words[] = {"before", "for", "of", "from", "in", "after", "on",
	                                    "to", "and", "net", "less", "excluding", "including", "other"};
	size_t b = end;
	while (b > 0 && label[b - 1] != ' ')
		b--;
	for (size_t k = 0; k < WK_ARRAY_LEN(words); k++)
		if (end - b == strlen(words[k]) && !strncmp(label + b, words[k], end - b))
			return 1;
	return 0;
}

/* Rank of the name that label carries for line item `it` (lower is preferred), -1 when
 * none. A parent label before ": " ("Current liabilities: Accounts payable") is context,
 * not the name. */
static int label_rank(item it, const char *s, const char *e)
{
	for (const char *p = e; p > s + 1; p--)
		if (p[-1] == ' ' && p[-2] == ':') {
			s = p;
			break;
		}
	char label[256];
	norm_label(s, e, label, sizeof label);
	static const char *const qualifiers[] = {" of ", " including ", " excluding ", " net of ",
	                                         " net "};
	size_t len = strlen(label);
	for (size_t k = 0; k < WK_ARRAY_LEN(row_names); k++) {
		size_t n = strlen(row_names[k].name);
		if (row_names[k].it != it)
			continue;
		/* "Costs and expenses Product development": the parent row's label before it */
		if (len > n + 1 && label[len - n - 1] == ' ' &&
		    !strcmp(label + len - n, row_names[k].name) && !linking_word(label, len - n - 1))
			return (int)k;
		if (strncmp(label, row_names[k].name, n))
			continue;
		if (!label[n])
			return (int)k;
		/* "Depreciation and amortization of property, equipment and intangibles": the
		 * name with a qualifier, a second choice */
		for (size_t j = 0; j < WK_ARRAY_LEN(qualifiers); j++)
			if (!strncmp(label + n, qualifiers[j], strlen(qualifiers[j])))
				return QUALIFIED_RANK + (int)k;
	}
	return -1;
}

/* The value cell of one table line in the column of `year` (0: the latest year, or the
 * first value when the table names none). Cells carry their column's year as a key
 * ("2015: $ 6,779,511") or take it from the year header line above. */
static int line_value(const rd_cells *c, const int *head, int nhead, int year, double *v,
                      int *got_year, const char **vs, const char **ve)
{
	int best = -1, best_year = 0, k = 0;
	for (int i = 1; i < c->n; i++) {
		const char *s = c->s[i], *e = c->e[i], *colon = NULL;
		for (const char *p = s; p + 1 < e; p++)
			if (p[0] == ':' && p[1] == ' ')
				colon = p;
		double x;
		int pct, y;
		if (colon && rd_value_cell(colon + 2, e, &x, &pct)) {
			y = rd_cell_year(s, colon);
			s = colon + 2;
		} else if (rd_value_cell(s, e, &x, &pct)) {
			y = k < nhead ? head[k] : 0;
		} else {
			continue;
		}
		k++;
		int want = year ? y == year : best < 0 || y > best_year;
		if (want && (y || !year)) {
			best = i;
			best_year = y;
			*v = x;
			*vs = s;
			*ve = e;
		}
		if (year && best >= 0)
			break;
	}
	*got_year = best_year;
	return best >= 0;
}

typedef struct found {
	operand op;
	int rank, source;
	int known; /* line items its table names: a primary statement names many */
} found;

/* Balances (what is owned or owed at a date): a cash-flow statement prints only their
 * changes under the same names ("Accounts payable 7,175"). */
static int balance_item(item it)
{
	return it == IT_ASSETS || it == IT_CUR_ASSETS || it == IT_CUR_LIAB || it == IT_LIAB ||
	       it == IT_EQUITY || it == IT_PPE || it == IT_AP || it == IT_AR ||
	       it == IT_INVENTORY || it == IT_CASH || it == IT_LTDEBT || it == IT_WC ||
	       it == IT_LT_LIAB;
}

static int cash_flow_text(const char *text)
{
	return strstr(text, "operating activities") || strstr(text, "investing activities") ||
	       strstr(text, "financing activities");
}

/* Rows of the text whose label is a known line item's name. */
static int known_items(const char *text)
{
	int n = 0;
	rd_cells c;
	for (const char *ls = text; *ls;) {
		const char *le = strchr(ls, '\n');
		if (!le)
			le = ls + strlen(ls);
		rd_split_cells(ls, le, &c);
		for (int it = IT_NONE + 1; c.n >= 2 && it < IT_NITEMS; it++)
			if (label_rank((item)it, c.s[0], c.e[0]) >= 0) {
				n++;
				break;
			}
		ls = *le ? le + 1 : le;
	}
	return n;
}

/* The years a text's columns are for, in order: its year header line, or the keys of
 * its first row that has them ("2016: 19,285 | 2017: 27,709"); for a short line of text
 * ("At December 31, 2019 At December 31, 2018") the years it names. */
static int text_years(const char *text, int *years)
{
	rd_cells c;
	for (const char *ls = text; *ls;) {
		const char *le = strchr(ls, '\n');
		if (!le)
			le = ls + strlen(ls);
		rd_split_cells(ls, le, &c);
		int n = c.n > 0 ? rd_year_header(&c, years) : 0;
		for (int i = 1; i < c.n && n == 0; i++) {
			const char *colon = NULL;
			for (const char *p = c.s[i]; p + 1 < c.e[i]; p++)
				if (p[0] == ':' && p[1] == ' ')
					colon = p;
			int y = colon ? rd_cell_year(c.s[i], colon) : 0;
			if (y)
				for (int k = i; k < c.n && n < RD_MAX_CELLS; k++) {
					colon = memchr(c.s[k], ':', (size_t)(c.e[k] - c.s[k]));
					years[n++] = colon ? rd_cell_year(c.s[k], colon) : 0;
				}
		}
		if (n > 0)
			return n;
		ls = *le ? le + 1 : le;
	}
	int n = 0;
	if (strlen(text) < 100 && !strstr(text, " | "))
		for (const char *p = text; *p && n < RD_MAX_CELLS; p++) {
			int y = rd_cell_year(p, p + 4 <= text + strlen(text) ? p + 4 : p);
			if (y && (p == text || !isdigit((unsigned char)p[-1])) && !isdigit((unsigned char)p[4]))
				years[n++] = y, p += 3;
		}
	return n >= 2 ? n : 0;
}

/* A table part printed without its column headers (the lower half of a balance sheet)
 * reads them from the nearest unit above it on its page that names the years. */
static int inherited_years(const wk_doc *doc, int idx, int *years)
{
	for (int k = idx - 1; doc && k >= 0 && k >= idx - 6; k--) {
		const wk_unit *u = &doc->units[k];
		if (u->page != doc->units[idx].page)
			break;
		char *t = wk_unit_model_text(doc, u);
		int n = text_years(t, years);
		free(t);
		if (n > 0)
			return n;
	}
	return 0;
}

/* One row of a table text: its cells and the years its value columns are for. */
typedef struct table_row {
	rd_cells c;
	const char *ls, *le; /* the line as printed */
	const int *head;     /* the year header in force */
	int nhead;
} table_row;

typedef int (*row_fn)(void *user, const table_row *row);

/* The years source k's columns are for when its text does not say (the header its
 * unit inherits), found once per question. */
static const int *source_head(const calc_ctx *cx, int k, const char *text, int idx, int *n)
{
	if (cx->nheads[k] < 0) {
		int own[RD_MAX_CELLS];
		cx->nheads[k] = idx >= 0 && !text_years(text, own)
		                    ? inherited_years(cx->doc, idx, cx->heads[k])
		                    : 0;
	}
	*n = cx->nheads[k];
	return cx->heads[k];
}

/* Calls fn on each row of a table text that has a label and a value cell, with the
 * year header in force (head0 until the text prints its own); stops when fn returns 0. */
static void each_row(const char *text, const int *head0, int nhead0, row_fn fn, void *user)
{
	int head[RD_MAX_CELLS], nhead = nhead0;
	memcpy(head, head0, sizeof(int) * (size_t)nhead0);
	table_row r = {.head = head};
	for (const char *ls = text; *ls;) {
		const char *le = strchr(ls, '\n');
		if (!le)
			le = ls + strlen(ls);
		rd_split_cells(ls, le, &r.c);
		int years[RD_MAX_CELLS], ny = r.c.n > 0 ? rd_year_header(&r.c, years) : 0;
		if (ny > 0) {
			memcpy(head, years, sizeof(int) * (size_t)ny);
			nhead = ny;
		} else if (r.c.n >= 2) {
			r.ls = ls;
			r.le = le;
			r.nhead = nhead;
			if (!fn(user, &r))
				return;
		}
		ls = *le ? le + 1 : le;
	}
}

typedef struct scan_ctx {
	const char *text;
	item it;
	int year, source, sel_item, page;
	int *known;
	found *f;
	int *nf;
} scan_ctx;

static int scan_row(void *user, const table_row *r)
{
	scan_ctx *k = user;
	int rank = label_rank(k->it, r->c.s[0], r->c.e[0]), y = 0;
	double v = 0;
	const char *vs = NULL, *ve = NULL;
	if (rank < 0 || !line_value(&r->c, r->head, r->nhead, k->year, &v, &y, &vs, &ve))
		return 1;
	found *x = &k->f[(*k->nf)++];
	if (*k->known < 0)
		*k->known = known_items(k->text);
	x->known = *k->known;
	x->rank = rank + (magnitude_item(k->it) && k->it != IT_CAPEX && v < 0 ? NEGATIVE_RANK : 0);
	if (magnitude_item(k->it))
		v = fabs(v);
	x->source = k->source;
	x->op = (operand){.v = v, .year = y, .item = k->sel_item, .page = k->page};
	char *label = rd_clean(r->c.s[0], r->c.e[0]), *cell = rd_clean(vs, ve);
	snprintf(x->op.shown, sizeof x->op.shown, "%.100s %.40s", label, cell);
	snprintf(x->op.cell, sizeof x->op.cell, "%s", cell);
	x->op.ls = r->ls;
	x->op.le = r->le;
	free(label);
	free(cell);
	return *k->nf < MAX_FOUND;
}

/* Reads line item `it` in `year` from source k's table text (unit idx, -1 when
 * unknown) into f (at most MAX_FOUND). */
static void scan_text(const calc_ctx *cx, const char *text, int idx, item it, int year,
                      int source, int sel_item, int page, found *f, int *nf)
{
	if ((balance_item(it) && cash_flow_text(text)) || *nf >= MAX_FOUND)
		return;
	scan_ctx k = {text, it, year, source, sel_item, page, &cx->known[source], f, nf};
	int nhead;
	const int *head = source_head(cx, source, text, idx, &nhead);
	each_row(text, head, nhead, scan_row, &k);
}

static int unit_page(const calc_ctx *cx, int sel_item)
{
	const wk_evidence *e = &cx->sel->items[sel_item];
	return cx->doc && e->doc == 0 && e->idx >= 0 && e->idx < cx->doc->nunits
	           ? cx->doc->units[e->idx].page
	           : 0;
}

/* The document's tables as evidence text, for line items the selection does not hold
 * (a ratio's two operands are often on different statements). */
static void load_tables(calc_ctx *cx)
{
	if (cx->texts || !cx->doc)
		return;
	cx->texts = wk_xcalloc((size_t)WK_MAX(cx->doc->nunits, 1), sizeof *cx->texts);
	cx->units = wk_xcalloc((size_t)WK_MAX(cx->doc->nunits, 1), sizeof *cx->units);
	for (int i = 0; i < cx->doc->nunits; i++) {
		const wk_unit *u = &cx->doc->units[i];
		if (u->type == WK_UNIT_TABLE) {
			cx->units[cx->ntexts] = i;
			cx->texts[cx->ntexts++] = wk_unit_model_text(cx->doc, u);
		}
	}
	size_t n = (size_t)(cx->sel->n + cx->ntexts);
	cx->heads = wk_xrealloc(cx->heads, n * sizeof *cx->heads);
	cx->nheads = wk_xrealloc(cx->nheads, n * sizeof *cx->nheads);
	cx->known = wk_xrealloc(cx->known, n * sizeof *cx->known);
	for (size_t k = (size_t)cx->sel->n; k < n; k++)
		cx->nheads[k] = cx->known[k] = -1;
}

/* The value the best-named rows agree on, each row's vote weighed by how much of a
 * primary statement its table is; earlier sources win ties. */
static int pick(const found *f, int nf, operand *out)
{
	int best = -1, best_votes = 0;
	for (int i = 0; i < nf; i++) {
		int votes = 0;
		for (int k = 0; k < nf; k++)
			votes += f[k].rank == f[i].rank && f[k].op.v == f[i].op.v ? 1 + f[k].known : 0;
		if (best < 0 || f[i].rank < f[best].rank ||
		    (f[i].rank == f[best].rank && votes > best_votes)) {
			best = i;
			best_votes = votes;
		}
	}
	if (best < 0)
		return 0;
	*out = f[best].op;
	return 1;
}

/* Line item `it` in `year` (0: the latest), from the selection and the document. */
static int read_item(calc_ctx *cx, item it, int year, operand *out)
{
	found f[MAX_FOUND];
	int nf = 0;
	for (int k = 0; k < cx->sel->n; k++) {
		int i = cx->order[k];
		const char *t = cx->sel->items[i].text;
		const wk_evidence *e = &cx->sel->items[i];
		int idx = cx->doc && e->idx >= 0 && e->idx < cx->doc->nunits ? e->idx : -1;
		if (t && e->doc == 0)
			scan_text(cx, t, idx, it, year, i, i, unit_page(cx, i), f, &nf);
	}
	/* the whole document's tables too: the selection may hold a side table that repeats
	 * a line item's name (share-based compensation "Product development") and miss the
	 * statement; rows of the selection count twice */
	load_tables(cx);
	for (int k = 0; k < cx->ntexts; k++)
		scan_text(cx, cx->texts[k], cx->units[k], it, year, cx->sel->n + k, -1,
		          cx->doc->units[cx->units[k]].page, f, &nf);
	return pick(f, nf, out);
}

/* A line item, computed from two others when no row prints it. */
static int read_value(calc_ctx *cx, item it, int year, operand *out)
{
	if (read_item(cx, it, year, out))
		return 1;
	for (size_t k = 0; k < WK_ARRAY_LEN(composites); k++) {
		operand a, b;
		if (composites[k].it != it || !read_item(cx, composites[k].a, year, &a) ||
		    !read_item(cx, composites[k].b, a.year, &b))
			continue;
		*out = a;
		out->v = a.v + composites[k].sign * b.v;
		out->cell[0] = '\0'; /* computed: no cell prints it */
		snprintf(out->shown, sizeof out->shown, "(%.70s %c %.70s)", a.shown,
		         composites[k].sign > 0 ? '+' : '-', b.shown);
		return 1;
	}
	return 0;
}

/* The mean of the year's closing and opening (previous year's) balance; the closing
 * balance alone when the previous year is not printed. */
static int read_average(calc_ctx *cx, item it, int year, operand *out)
{
	operand prev;
	if (!read_value(cx, it, year, out))
		return 0;
	if (!out->year || !read_value(cx, it, out->year - 1, &prev))
		return 1;
	char shown[MAX_SHOWN];
	snprintf(shown, sizeof shown, "average of %.60s (%d) and %.60s (%d)", prev.shown,
	         prev.year, out->shown, out->year);
	memcpy(out->shown, shown, sizeof shown);
	out->v = (out->v + prev.v) / 2;
	return 1;
}

/* ---- the question ---- */

/* Decimals the question asks for ("round your answer to three decimal places"), -1. */
static int asked_decimals(const char *low)
{
	static const char *const words[] = {"zero", "one", "two", "three", "four"};
	const char *p = strstr(low, "decimal");
	if (!p)
		return -1;
	for (const char *w = p; w > low && w > p - 12; w--) {
		if (isdigit((unsigned char)w[-1]))
			return w[-1] - '0';
		for (int k = 0; k < (int)WK_ARRAY_LEN(words); k++) {
			size_t n = strlen(words[k]);
			if (w - low >= (long)n + 1 && !strncmp(w - n - 1, words[k], n) && w[-1] == ' ')
				return k;
		}
	}
	return -1;
}

static int asks_percent(const char *low)
{
	return strstr(low, "percent") || strchr(low, '%');
}

/* The question lower-cased, hyphens as spaces ("long-term debt"). malloc'd. */
static char *lower_question(const char *question)
{
	char *low = wk_xstrdup(question);
	for (char *p = low; *p; p++)
		*p = *p == '-' ? ' ' : (char)tolower((unsigned char)*p);
	return low;
}

/* The line item a question phrase names, searching [s, e): the phrase that ends last
 * (last = 1) or starts first; *at is where it ends or starts. */
static item asked_item(const char *s, const char *e, int last, const char **at)
{
	item best = IT_NONE;
	const char *best_at = NULL;
	for (size_t k = 0; k < WK_ARRAY_LEN(asked_names); k++) {
		size_t n = strlen(asked_names[k].phrase);
		for (const char *p = s; p + n <= e; p++) {
			if (strncmp(p, asked_names[k].phrase, n) || (p > s && isalnum((unsigned char)p[-1])))
				continue;
			const char *mark = last ? p + n : p;
			if (!best_at || (last ? mark > best_at : mark < best_at)) {
				best = asked_names[k].it;
				best_at = mark;
			}
		}
	}
	*at = best_at;
	return best;
}

typedef struct ratio_def {
	item num, den;
	int average;
	double times;
	int percent;
} ratio_def;

/* "A to B ratio", "A to B": two line items either side of " to ". */
static int two_items(const char *low, ratio_def *d)
{
	for (const char *to = strstr(low, " to "); to; to = strstr(to + 1, " to ")) {
		const char *ls = to - low > 48 ? to - 48 : low, *re = to + 4, *a_at, *b_at;
		for (int n = 0; *re && n < 48; n++)
			re++;
		item a = asked_item(ls, to, 1, &a_at), b = asked_item(to + 4, re, 0, &b_at);
		while (a && a_at < to && isalpha((unsigned char)*a_at))
			a_at++; /* "liabilit" ends at "liabilities" */
		if (!a || !b || a == b || to - a_at > 2 || b_at - (to + 4) > 16)
			continue;
		*d = (ratio_def){a, b, 0, 1, 0};
		/* "to average long-term debt" */
		const char *avg = strstr(to, "average");
		if (avg && avg < b_at)
			d->average = 2;
		return 1;
	}
	return 0;
}

/* "margin before depreciation", "adjusted for ...": a variant the definition does not
 * cover, so no answer rather than the plain ratio. */
static int qualified(const char *after)
{
	while (*after == ' ' || *after == '?')
		after++;
	return !strncmp(after, "before", 6) || !strncmp(after, "excluding", 9) ||
	       !strncmp(after, "adjusted", 8) || !strncmp(after, "after", 5);
}

static int ratio_of(const char *low, ratio_def *d)
{
	for (size_t k = 0; k < WK_ARRAY_LEN(named); k++) {
		const char *p = strstr(low, named[k].phrase);
		size_t n = strlen(named[k].phrase);
		if (p && p[n] == 's') /* "return on assets" */
			n++;
		if (p && (p == low || !isalnum((unsigned char)p[-1])) && !isalpha((unsigned char)p[n]) &&
		    !qualified(p + n)) {
			*d = (ratio_def){named[k].num, named[k].den, named[k].average, named[k].times,
			                 named[k].percent};
			return 1;
		}
	}
	return two_items(low, d);
}

/* ---- the answer ---- */

/* The result as a reader writes it: the decimals asked for, else four significant
 * digits; a percentage when asked (or usual for the ratio and no form is asked). */
static void format_result(double r, const char *low, const ratio_def *d, char *out, size_t cap)
{
	int decimals = asked_decimals(low), pct = asks_percent(low) || (d->percent && decimals < 0);
	double v = pct ? r * 100 : r;
	if (decimals < 0) {
		double a = fabs(v);
		decimals = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : a >= 1 ? 3 : 4;
	}
	snprintf(out, cap, "%.*f%s", decimals, v, pct ? "%" : "");
}

static void add_ratio(calc_ctx *cx, const char *low, const ratio_def *d, rd_cands *out)
{
	int year = cx->q->nyears ? cx->q->years[0] : 0;
	operand a, b;
	int ok = d->average == 1 ? read_average(cx, d->num, year, &a) : read_value(cx, d->num, year, &a);
	if (!ok)
		return;
	if (!year)
		year = a.year;
	ok = d->average == 2 ? read_average(cx, d->den, year, &b) : read_value(cx, d->den, year, &b);
	if (!ok || b.v == 0 || (a.year && b.year && a.year != b.year))
		return;
	double r = a.v / b.v * d->times;
	char num[48];
	format_result(r, low, d, num, sizeof num);
	wk_buf q;
	wk_buf_init(&q, 1024);
	wk_buf_printf(&q, "%s / %s", a.shown, b.shown);
	if (d->times != 1)
		wk_buf_printf(&q, " x %g", d->times);
	wk_buf_printf(&q, " = %s", num);
	if (a.year)
		wk_buf_printf(&q, " (%d)", a.year);
	rd_cand x = {.type = RD_RATIO, .item = a.item >= 0 ? a.item : b.item, .fit = 1.0,
	             .near = 1.0, .cover = 1.0, .value = r, .has_value = 1,
	             .text = wk_xstrdup(num), .quote = wk_buf_steal(&q),
	             .page = a.item >= 0 ? 0 : a.page, .computed = 1};
	rd_cands_add(out, &x);
}

/* Insertion sort, best scored first: selections are small (tens of items). */
static void order_by_score(const wk_selection *sel, int *order)
{
	for (int i = 0; i < sel->n; i++) {
		int k = i;
		for (; k > 0 && sel->items[order[k - 1]].score < sel->items[i].score; k--)
			order[k] = order[k - 1];
		order[k] = i;
	}
}

/* ---- changes between two periods ---- */

/* 'P' a percentage change ("growth rate", "percentage change", "by what percent did ...
 * increase"), 'D' a difference ("how much did ... increase"), 0 neither. */
static int change_kind(const char *low)
{
	static const char *const pct[] = {"percentage change", "percent change", "% change",
	                                  "growth rate", "rate of growth", "percentage increase",
	                                  "percentage decrease", "percent increase",
	                                  "percent decrease"};
	for (size_t k = 0; k < WK_ARRAY_LEN(pct); k++)
		if (strstr(low, pct[k]))
			return 'P';
	int moved = strstr(low, "increase") || strstr(low, "decrease") || strstr(low, "grow") ||
	            strstr(low, "decline") || strstr(low, "change");
	if (moved && asks_percent(low))
		return 'P';
	if (moved && (strstr(low, "how much") || strstr(low, "what amount")))
		return 'D';
	return 0;
}

typedef struct row_pick {
	double cover, from, to;
	int pct, item;
	const char *ls, *le, *fs, *fe, *ts, *te;
} row_pick;

typedef struct change_ctx {
	const rd_match *m;
	int y0, y1, item;
	row_pick *best;
} change_ctx;

static int change_in_row(void *user, const table_row *r)
{
	change_ctx *k = user;
	double cover = rd_label_cover(k->m, r->c.s[0], r->c.e[0]), a, b;
	int ya, yb, pct;
	const char *as, *ae, *bs, *be;
	if (r->c.n >= 3 && cover > k->best->cover &&
	    line_value(&r->c, r->head, r->nhead, k->y0, &a, &ya, &as, &ae) &&
	    line_value(&r->c, r->head, r->nhead, k->y1, &b, &yb, &bs, &be)) {
		rd_value_cell(bs, be, &b, &pct);
		*k->best = (row_pick){cover, a, b, pct, k->item, r->ls, r->le, as, ae, bs, be};
	}
	return 1;
}

/* The selection's table row whose label holds most of the question's words and prints
 * values for both years. */
static void change_row(const calc_ctx *cx, const rd_match *m, int y0, int y1, row_pick *best)
{
	for (int i = 0; i < cx->sel->n; i++) {
		const wk_evidence *e = &cx->sel->items[i];
		if (!e->text || !strstr(e->text, " | "))
			continue;
		int idx = cx->doc && e->doc == 0 && e->idx >= 0 && e->idx < cx->doc->nunits ? e->idx : -1;
		change_ctx k = {m, y0, y1, i, best};
		int nhead;
		const int *head = source_head(cx, i, e->text, idx, &nhead);
		each_row(e->text, head, nhead, change_in_row, &k);
	}
}

/* Decimals of a number as printed ("1,375.5" -> 1). */
static int printed_decimals(const char *s, const char *e)
{
	const char *dot = memchr(s, '.', (size_t)(e - s));
	int n = 0;
	for (const char *p = dot ? dot + 1 : e; p < e && isdigit((unsigned char)*p); p++)
		n++;
	return n;
}

static void add_change(calc_ctx *cx, const rd_match *m, const char *low, int kind,
                       rd_cands *out)
{
	const rd_question *q = cx->q;
	if (q->nyears == 0)
		return;
	int y1 = q->years[0], y0 = y1 - 1;
	if (q->nyears >= 2) {
		y0 = WK_MIN(q->years[0], q->years[1]);
		y1 = WK_MAX(q->years[0], q->years[1]);
	}
	row_pick r = {0};
	change_row(cx, m, y0, y1, &r);
	if (r.cover <= 0 || (kind == 'P' && !r.pct && r.from == 0))
		return;
	char num[48];
	int decimals = asked_decimals(low);
	char *label = rd_clean(r.ls, r.ls + strcspn(r.ls, "|")), *fs = rd_clean(r.fs, r.fe),
	     *ts = rd_clean(r.ts, r.te);
	wk_buf quote;
	wk_buf_init(&quote, 1024);
	if (kind == 'P' && !r.pct) {
		double v = (r.to - r.from) / fabs(r.from) * 100;
		snprintf(num, sizeof num, "%.*f%%", decimals >= 0 ? decimals : 1, v);
		wk_buf_printf(&quote, "%s: (%s (%d) - %s (%d)) / %s = %s", label, ts, y1, fs, y0, fs, num);
	} else {
		/* a change of percentages is in points; of amounts, in the table's unit */
		int d = decimals >= 0 ? decimals
		                      : WK_MAX(printed_decimals(r.fs, r.fe), printed_decimals(r.ts, r.te));
		snprintf(num, sizeof num, "%.*f%s", d, r.to - r.from, r.pct ? "%" : "");
		wk_buf_printf(&quote, "%s: %s (%d) - %s (%d) = %s", label, ts, y1, fs, y0, num);
	}
	free(label);
	free(fs);
	free(ts);
	rd_cand x = {.type = kind == 'P' ? RD_PERCENT : RD_QUANTITY, .item = r.item, .fit = 1.0,
	             .near = 1.0, .cover = r.cover, .has_value = 1, .text = wk_xstrdup(num),
	             .quote = wk_buf_steal(&quote)};
	rd_cands_add(out, &x);
}

/* ---- one line item ---- */

/* Words a question about one line item may hold besides its name and the document's:
 * the amount, the statement it is read from, the scale asked ("What is the FY2018
 * capital expenditure amount (in USD millions) based on the cash flow statement?"). */
static int item_word(const char *stem)
{
	static const char *const words[] = {"total", "amount", "valu", "figur", "compani", "consolid",
	                                    "usd", "dollar", "million", "billion", "thousand",
	                                    "base", "statement", "balanc", "sheet", "cash", "flow",
	                                    "incom", "fiscal", "year", "annual", "fy", "expens"};
	for (size_t k = 0; k < WK_ARRAY_LEN(words); k++)
		if (!strcmp(stem, words[k]))
			return 1;
	return 0;
}

typedef struct stem_set {
	char v[16][RD_TERM_LEN];
	int n;
} stem_set;

static void on_stem(void *user, const char *term, size_t len)
{
	stem_set *k = user;
	if (k->n < 16 && len < RD_TERM_LEN)
		memcpy(k->v[k->n++], term, len + 1);
}

/* The line item a question asks for by itself ("what is EBITDA for X in FY2021"): its
 * name is the whole of the question's topic, the rest being the document's name, years
 * and item_word words. IT_NONE otherwise ("Domestic streaming revenue" is a segment's). */
static item single_item(const rd_match *m, const char *question, const char *low)
{
	const char *at;
	item it = asked_item(low, low + strlen(low), 0, &at);
	if (it == IT_NONE)
		return IT_NONE;
	size_t n = 0;
	for (size_t k = 0; k < WK_ARRAY_LEN(asked_names); k++)
		if (asked_names[k].it == it && !strncmp(at, asked_names[k].phrase, strlen(asked_names[k].phrase)))
			n = WK_MAX(n, strlen(asked_names[k].phrase));
	while (at[n] && isalpha((unsigned char)at[n]))
		n++; /* "liabilit" ends at "liabilities" */
	/* the name's words as the question prints them too ("long-term": "longterm") */
	stem_set own = {0};
	char *name = wk_xstrndup(at, n);
	wk_tokenize(m->tk, name, on_stem, &own);
	free(name);
	name = wk_xstrndup(question + (at - low), n);
	wk_tokenize(m->tk, name, on_stem, &own);
	free(name);
	const rd_question *q = m->q;
	for (int i = 0; i < q->nterms; i++) {
		const char *t = q->terms[i];
		int ok = m->own[i] || item_word(t) || t[strspn(t, "0123456789")] == '\0' ||
		         ((t[0] == 'f' || !strncmp(t, "fy", 2)) && rd_cell_year(t, t + strlen(t)));
		for (int k = 0; k < own.n && !ok; k++)
			ok = !strcmp(t, own.v[k]);
		if (!ok)
			return IT_NONE;
	}
	return it;
}

/* The number of a cell as a reader writes the amount: "$ (1,577)" -> "1,577". */
static void cell_amount(const char *cell, char *out, size_t cap)
{
	const char *s = cell + strcspn(cell, "0123456789");
	size_t n = 0;
	while (s[n] && (isdigit((unsigned char)s[n]) || ((s[n] == ',' || s[n] == '.') && isdigit((unsigned char)s[n + 1]))))
		n++;
	snprintf(out, cap, "%.*s", (int)n, s);
}

/* 1234567.8 -> "1,234,568" (whole units, as statements print them). */
static void grouped(double v, char *out, size_t cap)
{
	char digits[40];
	snprintf(digits, sizeof digits, "%.0f", fabs(v));
	size_t n = strlen(digits), k = 0;
	if (v < 0 && k + 1 < cap)
		out[k++] = '-';
	for (size_t i = 0; i < n && k + 2 < cap; i++) {
		out[k++] = digits[i];
		if ((n - i - 1) % 3 == 0 && i + 1 < n)
			out[k++] = ',';
	}
	out[k] = '\0';
}

static void add_item(calc_ctx *cx, item it, rd_cands *out)
{
	int year = cx->q->nyears ? cx->q->years[0] : 0;
	operand a;
	if (!read_value(cx, it, year, &a))
		return;
	char num[48];
	if (a.cell[0])
		cell_amount(a.cell, num, sizeof num);
	else
		grouped(a.v, num, sizeof num);
	if (!num[0])
		return;
	/* a printed cell is quoted with its row; a computed one with its computation */
	wk_buf q;
	wk_buf_init(&q, 512);
	if (a.cell[0] && a.ls) {
		char *row = rd_clean(a.ls, a.le);
		wk_buf_puts(&q, row);
		free(row);
	} else {
		wk_buf_printf(&q, "%s = %s", a.shown, num);
		if (a.year)
			wk_buf_printf(&q, " (%d)", a.year);
	}
	rd_cand x = {.type = RD_MONEY, .item = a.item, .fit = 1.0, .near = 1.0, .cover = 1.0,
	             .value = a.v, .has_value = 1, .text = wk_xstrdup(num),
	             .quote = wk_buf_steal(&q), .page = a.item >= 0 ? 0 : a.page, .computed = 1};
	rd_cands_add(out, &x);
}

int rd_calc(const rd_match *m, const char *question, const wk_doc *const *docs,
            const wk_selection *sel, rd_cands *out)
{
	if (!sel || !question)
		return 0;
	char *low = lower_question(question);
	ratio_def d = {0};
	int asked = ratio_of(low, &d), kind = asked ? 0 : change_kind(low);
	item single = asked || kind || (m->q->type != RD_MONEY && m->q->type != RD_QUANTITY)
	                  ? IT_NONE
	                  : single_item(m, question, low);
	if (asked || kind || single) {
		calc_ctx cx = {.q = m->q, .doc = docs ? docs[0] : NULL, .sel = sel};
		cx.order = wk_xmalloc(sizeof(int) * (size_t)WK_MAX(sel->n, 1));
		cx.heads = wk_xmalloc(sizeof *cx.heads * (size_t)WK_MAX(sel->n, 1));
		cx.nheads = wk_xmalloc(sizeof(int) * (size_t)WK_MAX(sel->n, 1));
		cx.known = wk_xmalloc(sizeof(int) * (size_t)WK_MAX(sel->n, 1));
		for (int i = 0; i < sel->n; i++)
			cx.nheads[i] = cx.known[i] = -1;
		order_by_score(sel, cx.order);
		if (asked)
			add_ratio(&cx, low, &d, out);
		else if (kind)
			add_change(&cx, m, low, kind, out);
		else
			add_item(&cx, single, out);
		for (int i = 0; i < cx.ntexts; i++)
			free(cx.texts[i]);
		free(cx.texts);
		free(cx.units);
		free(cx.order);
		free(cx.heads);
		free(cx.nheads);
		free(cx.known);
	}
	free(low);
	return asked;
}
