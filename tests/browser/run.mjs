// run.mjs: drives Debian's Chromium through the wukong web page and prints TAP.
// usage: node run.mjs URL PDF SCREENSHOT_DIR LOCKED_PDF PASSWORD
// Uploads the PDF by drag and drop and through the file button, asks a question, checks
// the answer, the evidence list, the highlight box over the page image and a figure crop,
// then looks at the page on a phone-sized screen.
import { chromium } from "playwright-core";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const [url, pdf, shots, locked, password] = process.argv.slice(2);
const checks = [];
let failed = 0;
function check(name, cond, diag) {
  checks.push(name);
  if (!cond) failed++;
  console.log(`${cond ? "ok" : "not ok"} ${checks.length} - ${name}`);
  if (!cond && diag) console.log(`# ${String(diag).replace(/\n/g, "\n# ")}`);
}
const PLAN = 15;
console.log(`1..${PLAN}`);

const profile = fs.mkdtempSync(path.join(os.tmpdir(), "wukong-chromium-"));
fs.mkdirSync(shots, { recursive: true });
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  await run(await context.newPage());
} catch (e) {
  check("the browser session ran to the end", false, e.stack || e);
} finally {
  if (context) await context.close().catch(() => {});
  fs.rmSync(profile, { recursive: true, force: true });
}
for (let i = checks.length; i < PLAN; i++) check("not reached", false);
process.exit(failed ? 1 : 0);

async function dropFile(page, file, name) {
  const b64 = fs.readFileSync(file).toString("base64");
  const dt = await page.evaluateHandle(({ b64, name }) => {
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], name, { type: "application/pdf" }));
    return dt;
  }, { b64, name });
  await page.dispatchEvent("#drop", "dragover", { dataTransfer: dt });
  await page.dispatchEvent("#drop", "drop", { dataTransfer: dt });
}

async function run(page) {
  const external = [];
  page.on("request", (r) => { if (!r.url().startsWith(url) && !r.url().startsWith("blob:")) external.push(r.url()); });
  const errors = [];
  const missing = []; /* a 404 is an error in the browser's console */
  page.on("response", (r) => { if (r.status() === 404) missing.push(r.url()); });
  // "ResizeObserver loop" is Chromium's benign notice during layout changes, not a bug.
  page.on("pageerror", (e) => { if (!/ResizeObserver loop/.test(e.message)) errors.push(e.stack || e.message); });

  await page.goto(url);
  check("the page loads with its title", (await page.title()) === "wukong");

  await dropFile(page, pdf, "zebra-survey.pdf");
  const li = page.locator("#docs li", { hasText: "zebra-survey" });
  await li.first().waitFor({ timeout: 60000 }).catch(() => {});
  check("a PDF dropped on the page appears in the document list", await li.count() === 1,
        await page.locator("#status").textContent());

  await page.setInputFiles("#file", pdf);
  // Polled, and one reading serves both the check and its diagnostic: the status line
  // changes while the upload runs ("Uploading", "Reading", then the result).
  let uploaded = "";
  for (let waited = 0; waited < 60000 && !/Already there/.test(uploaded); waited += 100) {
    uploaded = (await page.locator("#status").textContent().catch(() => "")) || "";
    if (!/Already there/.test(uploaded)) await page.waitForTimeout(100);
  }
  check("the file button uploads too (the same PDF is already there)",
        /Already there/.test(uploaded), uploaded);

  // An encrypted PDF: the page asks for the password, says when it is wrong, and adds the
  // document with the right one, keeping the password nowhere.
  await page.setInputFiles("#file", locked);
  const pwform = page.locator("#pwform:not([hidden])");
  await pwform.waitFor({ timeout: 60000 }).catch(() => {});
  check("an encrypted PDF makes the page ask for its password", await pwform.count() === 1,
        await page.locator("#status").textContent());
  await page.fill("#pw", "not-" + password);
  await page.click("#pwform button[type=submit]");
  const wrong = page.locator("#pwerr", { hasText: "Wrong password" });
  await wrong.waitFor({ timeout: 60000 }).catch(() => {});
  check("a wrong password is said and asked again", await wrong.count() === 1 && await pwform.count() === 1,
        await page.locator("#status").textContent());
  await page.fill("#pw", password);
  await page.click("#pwform button[type=submit]");
  const added = page.locator("#status", { hasText: "Added locked.pdf" });
  await added.waitFor({ timeout: 60000 }).catch(() => {});
  const kept = await page.evaluate((pw) => JSON.stringify(localStorage).includes(pw) ||
    document.documentElement.outerHTML.includes(pw) || $("pw").value !== "", password);
  check("the right password adds the document, and the page keeps it nowhere",
        await added.count() === 1 && !kept && await pwform.count() === 0,
        await page.locator("#status").textContent());
  await page.locator("#docs li", { hasText: "All documents" }).click().catch(() => {});

  await page.fill("#question", "How many zebra animals did the population grow to in 2019?");
  await page.click("#ask");
  await page.locator("#result:not([hidden])").waitFor({ timeout: 60000 }).catch(() => {});
  const answer = await page.locator("#answer").textContent().catch(() => "");
  check("the answer appears and holds the number", /4213/.test(answer), answer);

  const items = page.locator("#evidence li");
  check("evidence items are listed", await items.count() >= 1);

  const target = items.filter({ hasText: "4213" }).first();
  await target.click().catch(() => {});
  const hl = page.locator("#pagebox .hl").first();
  await hl.waitFor({ timeout: 60000 }).catch(() => {});
  const img = await page.locator("#pageimg").boundingBox().catch(() => null);
  const box = await hl.boundingBox().catch(() => null);
  const inside = img && box && box.width > 20 && box.height > 5 && box.x >= img.x - 1 &&
    box.y >= img.y - 1 && box.x + box.width <= img.x + img.width + 1 &&
    box.y + box.height <= img.y + img.height + 1 &&
    box.y < img.y + img.height * 0.4; /* the paragraph sits in the top part of page 1 */
  check("clicking the evidence shows its page with the box highlighted", !!inside,
        JSON.stringify({ img, box }));
  await page.screenshot({ path: path.join(shots, "desktop-evidence.png"), fullPage: true });

  await page.fill("#question", "What does Figure 1 show, the aerial photograph?");
  await page.click("#ask");
  const crop = page.locator("#evidence img.crop").first();
  await crop.waitFor({ timeout: 60000 }).catch(() => {});
  const cropOk = await crop.evaluate((i) => i.complete && i.naturalWidth > 0).catch(() => false);
  check("a figure in the evidence is shown as its crop", cropOk);
  await page.screenshot({ path: path.join(shots, "desktop-figure.png"), fullPage: true });

  // With the model: the answer streams in (evidence first, then the model's text).
  await page.locator("#llmbox:not([hidden])").waitFor({ timeout: 10000 }).catch(() => {});
  await page.check("#llm").catch(() => {});
  await page.fill("#question", "How many zebra animals did the population grow to in 2019?");
  await page.click("#ask");
  const modelAnswer = page.locator("#answer", { hasText: "The answer is in the evidence" });
  await modelAnswer.locator(".cite").first().waitFor({ timeout: 60000 }).catch(() => {});
  const streamed = await page.locator("#answer").textContent().catch(() => "");
  check("a model's streamed answer replaces the extractive one, with its citations",
        /The answer is in the evidence/.test(streamed) && /\[1\]/.test(streamed) && /llm/.test(streamed),
        streamed);
  await page.screenshot({ path: path.join(shots, "desktop-llm.png"), fullPage: true });
  await page.uncheck("#llm").catch(() => {});

  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check("on a phone-sized screen nothing overflows sideways", overflow <= 1, `overflow ${overflow}px`);
  await page.screenshot({ path: path.join(shots, "phone.png"), fullPage: true });

  check("the page fetched nothing outside the server", external.length === 0, external.join("\n"));
  const icon = await page.evaluate(async () => {
    const r = await fetch("/favicon.ico");
    return r.status + " " + r.headers.get("content-type");
  });
  check("nothing the page loaded was missing, and its icon is served",
        missing.length === 0 && icon === "200 image/x-icon", missing.concat([icon]).join("\n"));
  check("no script errors", errors.length === 0, errors.join("\n"));
}
