/* Reader ratings: progressive enhancement of the star form in .ratings-block.
 *
 * The page is cached and the same for everyone, so on load this asks the server for the live
 * numbers, the reader's own vote and a CSRF token. Choosing a star sends the vote with fetch()
 * and updates the numbers in place; votes are sent one at a time, latest choice last, so a
 * double click or fast keyboard changes can never leave an older vote on the server.
 * Without JavaScript the same form posts normally and the server redirects back.
 */
(function () {
  "use strict";

  function setup(block) {
    var form = block.querySelector(".ratings-form");
    var status = block.querySelector("[data-ratings-status]");
    var average = block.querySelector("[data-ratings-average]");
    var count = block.querySelector("[data-ratings-count]");
    var first = block.querySelector("[data-ratings-first]");
    var feedback = form.querySelector("textarea[name=feedback]");
    var token = null;
    var sending = false;
    var queued = null;

    block.classList.add("has-js");

    // The endpoint is the same for both languages and gives plain numbers ("4.6", 1234):
    // they are written here as the page's language writes them ("4,6", "1 234" on /fr/),
    // the same as the server-rendered numbers (ratings/page_helpers.py).
    var language = document.documentElement.lang || undefined;
    var averageFormat = new Intl.NumberFormat(language, {
      minimumFractionDigits: 1, maximumFractionDigits: 1
    });
    var countFormat = new Intl.NumberFormat(language);

    function show(data) {
      average.textContent = data.count ? averageFormat.format(Number(data.average)) : countFormat.format(0);
      count.textContent = countFormat.format(data.count);
      first.hidden = data.count > 0;
      if (data.your_vote) {
        block.setAttribute("data-your-vote", String(data.your_vote));
        var radio = form.querySelector("input[name=stars][value='" + data.your_vote + "']");
        if (radio && !queued && !sending) { radio.checked = true; }
      }
    }

    function say(text) {
      status.textContent = text;
    }

    function send(payload) {
      if (sending) { queued = payload; return; }
      sending = true;
      say(block.dataset.textSending);
      var body = new URLSearchParams();
      body.set("stars", payload.stars);
      body.set("language", form.elements.language.value);
      if (payload.feedback) { body.set("feedback", payload.feedback); }
      ready.then(function () {
        return fetch(block.dataset.voteUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Accept": "application/json", "X-CSRFToken": token || "" },
          body: body
        });
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (result) {
        if (result.ok) {
          show(result.data);
          var text = result.data.message;
          if (payload.feedback) {
            feedback.value = "";
          }
          say(text + " " + summaryText(result.data));
        } else {
          say(result.data.error || block.dataset.textError);
        }
      }).catch(function () {
        say(block.dataset.textError);
      }).then(function () {
        sending = false;
        if (queued) { var next = queued; queued = null; send(next); }
      });
    }

    function summaryText(data) {
      var a = block.querySelector(".ratings-average").textContent.trim();
      var c = block.querySelector(".ratings-count").textContent.trim();
      return a + ". " + c + ".";
    }

    form.addEventListener("change", function (event) {
      if (event.target.name === "stars") {
        send({ stars: event.target.value });
      }
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var chosen = form.querySelector("input[name=stars]:checked");
      if (chosen) { send({ stars: chosen.value, feedback: feedback.value }); }
    });

    // Votes wait for this: it brings the CSRF token.
    var ready = fetch(block.dataset.summaryUrl, {
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data) { token = data.csrf_token; show(data); }
    }).catch(function () { /* the server-rendered numbers stay */ });
  }

  var blocks = document.querySelectorAll(".ratings-block[data-vote-url]");
  for (var i = 0; i < blocks.length; i++) { setup(blocks[i]); }
})();
