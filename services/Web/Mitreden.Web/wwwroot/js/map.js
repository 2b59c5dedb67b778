// Mitreden maps: Leaflet on top of a list that works without it. Every marker comes from an entry of the list
// alternative (data-lat, data-lon, data-title, data-url); in a form, a click on the map fills the coordinate fields and
// typing into them moves the marker. Keyboard: the map takes focus (Tab), arrows pan, +/- zoom, markers are focusable
// and Enter opens their link's popup; in a form, Enter on the focused map puts the place at the map's centre.
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  function round(value) { return Math.round(value * 1e6) / 1e6; }

  function popup(title, url) {
    var box = document.createElement("div");
    if (url) {
      var link = document.createElement("a");
      link.href = url;
      link.textContent = title;
      box.appendChild(link);
    } else {
      box.textContent = title;
    }
    return box;
  }

  document.querySelectorAll("[data-map]").forEach(function (element) {
    element.hidden = false;
    var help = element.parentElement.querySelector("[data-map-help]");
    if (help) { help.hidden = false; }
    var bounds = L.latLngBounds(
      [Number(element.getAttribute("data-south")), Number(element.getAttribute("data-west"))],
      [Number(element.getAttribute("data-north")), Number(element.getAttribute("data-east"))]);
    var map = L.map(element, { keyboard: true, scrollWheelZoom: false, zoomControl: false });
    // Leaflet's own words are English: the controls and the popup's close button get the page's.
    L.control.zoom({ zoomInTitle: element.getAttribute("data-zoom-in"), zoomOutTitle: element.getAttribute("data-zoom-out") }).addTo(map);
    map.on("popupopen", function (e) {
      var close = e.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) { close.setAttribute("aria-label", element.getAttribute("data-close")); close.setAttribute("title", element.getAttribute("data-close")); }
    });
    map.attributionControl.setPrefix(false);
    L.tileLayer(element.getAttribute("data-tiles"), {
      attribution: element.getAttribute("data-attribution").replace(/[<>&]/g, ""),
      maxZoom: 19,
      alt: ""
    }).addTo(map);

    var points = [];
    var list = document.getElementById(element.getAttribute("data-list"));
    if (list) {
      list.querySelectorAll("li[data-lat]").forEach(function (entry) {
        var at = [Number(entry.getAttribute("data-lat")), Number(entry.getAttribute("data-lon"))];
        var title = entry.getAttribute("data-title");
        L.marker(at, { title: title, alt: title, keyboard: true }).bindPopup(popup(title, entry.getAttribute("data-url"))).addTo(map);
        points.push(at);
      });
    }
    if (points.length > 0) {
      map.fitBounds(L.latLngBounds(points).pad(0.3), { maxZoom: 16 });
    } else {
      map.fitBounds(bounds);
    }

    var latField = element.getAttribute("data-latitude-field");
    var lonField = element.getAttribute("data-longitude-field");
    if (!latField || !lonField) { return; }
    var lat = document.getElementById(latField);
    var lon = document.getElementById(lonField);
    var label = element.getAttribute("data-picked-label");
    var marker = null;

    function read(input) {
      var value = input.value.trim().replace(",", ".");
      return value === "" ? NaN : Number(value);
    }
    function show(at, pan) {
      if (!marker) {
        marker = L.marker(at, { title: label, alt: label, keyboard: false }).addTo(map);
      } else {
        marker.setLatLng(at);
      }
      if (pan) { map.panTo(at); }
    }
    function pick(at) {
      lat.value = round(at.lat);
      lon.value = round(at.lng);
      show(at, false);
    }
    function fromFields() {
      var la = read(lat), lo = read(lon);
      if (isFinite(la) && isFinite(lo)) { show([la, lo], true); }
    }
    fromFields();
    map.on("click", function (e) { pick(e.latlng); });
    element.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && e.target === element) {
        e.preventDefault();
        pick(map.getCenter());
      }
    });
    lat.addEventListener("change", fromFields);
    lon.addEventListener("change", fromFields);
  });
})();
