// Canned replies: choosing one inserts its text into the reply box (which the expert then adapts).
document.addEventListener("change", function (event) {
  var select = event.target;
  if (!select.matches || !select.matches("[data-canned-target]") || !select.value) { return; }
  var box = document.getElementById(select.getAttribute("data-canned-target"));
  if (box) {
    box.value = box.value ? box.value + "\n\n" + select.value : select.value;
    box.focus();
  }
  select.value = "";
});
